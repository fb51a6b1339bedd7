import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
Rig.assertCleanFailure(log,
    'Image \'web\': <from> \'Nginx:::latest\' is not a valid image reference: ',
    'Write it as [registry/]repository[:tag]')
// One sentence of cause, one of fix, and nothing after them (no cause text appended by Maven).
def errors = log.readLines().findAll { it.startsWith('[ERROR] Failed to execute goal dev.llmstack:') }
assert errors.size() == 1
assert errors[0].endsWith('. -> [Help 1]') : errors[0]
// Nothing was half-done.
assert !Rig.imageExists('it-bad-image-reference/web:dev')
assert !new File(basedir, 'target/llmstack/images.json').exists()
return true
