import dev.llmstack.it.Rig

def built = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images').get(0)
def tar = new File(basedir, 'target/llmstack/images/app.tar')
assert tar.isFile() && tar.length() == built.get('sizeBytes').asLong()
assert !Rig.imageExists('it-tar-target/app:dev') // the tar target does not touch the daemon
Rig.docker('load', '-i', tar.path)
def id = Rig.inspect('it-tar-target/app:dev').get('Id').asText()
assert id == built.get('imageId').asText()
assert Rig.inspect(built.get('reference').asText()).get('Id').asText() == id
assert Rig.inspect(id).get('Config').get('Cmd')*.asText() == ['cat', '/srv/hello.txt']
return true
