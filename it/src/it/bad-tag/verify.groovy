import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
def rule = "A tag is 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (Docker's reference grammar), e.g. dev or v1.2.3."
Rig.assertCleanFailure(log,
    "<tag> (-Dllmstack.tag) 'bad tag' is not a valid Docker tag: it contains ' ' (a space). " + rule,
    "<tag> (-Dllmstack.tag) 'v1:2' is not a valid Docker tag: it contains ':'. " + rule,
    "is not a valid Docker tag: it is 200 characters long, at most 128 are allowed. " + rule)
def lines = log.readLines()
assert lines.count { it.startsWith('[ERROR] Failed to execute goal dev.llmstack:') } == 3
assert !log.text.contains('URISyntaxException') && !log.text.contains('invalid reference format')
// Refused before the daemon was asked anything: no image, no record.
assert !log.text.contains('Building 1 image(s)')
assert !Rig.imageExists('it-bad-tag/web:dev')
assert !new File(basedir, 'target/llmstack/images.json').exists()
return true
