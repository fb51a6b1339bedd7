import dev.llmstack.it.Rig

long startedAt = Long.parseLong(new File(basedir, 'started-at').text.trim())
// Build 1 loads app and worker; build 2 loads nothing; build 3 loads app only.
assert Rig.loadEvents('rebuild-no-change', startedAt) == 3

def images = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images')
def changed = images.collectEntries { [(it.get('name').asText()): it.get('changed').asBoolean()] }
assert changed == [app: true, worker: false]
assert Rig.inspect('it-rebuild-no-change/app:dev').get('Config').get('Env')*.asText().contains('GREETING=v2')
// Only the config changed in build 3: the daemon held every layer (the previous build's), so no
// layer file crossed the wire: a few kB of tar, for an image of megabytes.
def app = images.find { it.get('name').asText() == 'app' }
assert app.get('sizeBytes').asLong() > 1_000_000
assert app.get('sentBytes').asLong() < 20_000
Rig.assertLogContains(new File(basedir, 'build.log'), '[worker] unchanged, not rebuilt')
return true
