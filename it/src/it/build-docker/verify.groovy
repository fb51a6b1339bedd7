import dev.llmstack.it.Rig

def record = Rig.json(new File(basedir, 'target/llmstack/images.json'))
def refs = record.get('images').collectEntries { [(it.get('name').asText()): it.get('reference').asText()] }
assert refs.keySet() == ['web', 'litellm'] as Set

// The image under its digest tag is the one under the stable tag.
def web = Rig.inspect(refs.web)
assert web.get('Id').asText() == Rig.inspect('it-build-docker/web:dev').get('Id').asText()
assert refs.web == 'it-build-docker/web:' + web.get('Id').asText().substring(7, 19)

def config = web.get('Config')
assert config.get('Entrypoint')*.asText() == ['httpd', '-f']
assert config.get('Cmd')*.asText() == ['-p', '3000']
assert config.get('Env')*.asText().contains('VITE_API_BASE_URL=http://localhost:8080')
assert config.get('ExposedPorts').has('3000/tcp')
assert config.get('Labels').get('it').asText() == 'build-docker'
assert config.get('User').asText() == 'nobody'
assert config.get('WorkingDir').asText() == '/usr/share/nginx/html'
// Files from the stand-in base are still there (the stack's files are layers on top of it).
assert config.get('Labels').get('dev.llmstack.rig.standin').asText() == 'nginx:1.27-alpine'

def index = Rig.fileInImage(refs.web, '/usr/share/nginx/html/index.html')
assert index.content() == '<h1>llmstack</h1>\n'
assert index.mode() == '644'
assert Rig.fileInImage(refs.web, '/usr/share/nginx/html/assets/app.css').content() == 'body{}\n'

def litellm = Rig.inspect(refs.litellm).get('Config')
assert litellm.get('Cmd')*.asText() == ['--config', '/app/config.yaml', '--port', '4000']
assert litellm.get('ExposedPorts').has('4000/tcp')
def conf = Rig.fileInImage(refs.litellm, '/app/config.yaml')
assert conf.content().startsWith('model_list:')
assert conf.mode() == '600'

// Progress per image and the summary table.
Rig.assertLogContains(new File(basedir, 'build.log'),
    '[web] building from nginx:1.27-alpine', 'IMAGE', 'REFERENCE', 'CHANGED', refs.web, refs.litellm)
return true
