import dev.llmstack.it.Rig

def rig = new Properties()
new File(Rig.rigDir(), 'rig.properties').withInputStream { rig.load(it) }
def registry = rig.getProperty('RIG_REGISTRY')

def log = new File(basedir, 'build.log')
Rig.assertCleanFailure(log,
    "Base image busybox:no-such-tag of image \'web\' was not found: mirror ${registry} does not have it",
    'Check <from> (repository and tag)')
// One sentence of cause, one of fix, and nothing after them (no cause text appended by Maven).
def errors = log.readLines().findAll { it.startsWith('[ERROR] Failed to execute goal dev.llmstack:') }
assert errors.size() == 1
assert errors[0].endsWith('. -> [Help 1]') : errors[0]
// Nothing was half-done.
assert !Rig.imageExists('it-bad-base-not-found/web:dev')
assert !new File(basedir, 'target/llmstack/images.json').exists()
return true
