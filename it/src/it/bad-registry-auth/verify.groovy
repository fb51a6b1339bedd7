import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
Rig.assertCleanFailure(log,
    'Registry localhost:5001 refused access to localhost:5001/it-bad-auth/web',
    'settings.xml server \'localhost:5001\'',
    'Correct the <username>/<password> of the <server> with <id>localhost:5001</id>')
// One sentence of cause, one of fix, and nothing after them (no cause text appended by Maven).
def errors = log.readLines().findAll { it.startsWith('[ERROR] Failed to execute goal dev.llmstack:') }
assert errors.size() == 1
assert errors[0].endsWith('. -> [Help 1]') : errors[0]
// Nothing was half-done.
// Nothing was pushed (checked with the right password).
assert Rig.registryManifest('https', 'localhost:5001', 'it-bad-auth/web', 'dev', 'llmstack', 'rig-s3cret') == null
assert !new File(basedir, 'target/llmstack/images.json').exists()
return true
