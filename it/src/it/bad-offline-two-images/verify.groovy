import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
Rig.assertCleanFailure(log,
    "Maven is offline (-o) and base image busybox:standin of images 'api' and 'web' is not in the base layer cache",
    'Build once without -o')
// Said once: no warning repeating it for the other image.
def text = log.text
assert text.count('Maven is offline (-o)') == 1 : text
assert !Rig.imageExists('it-bad-offline-two-images/api:dev') && !Rig.imageExists('it-bad-offline-two-images/web:dev')
assert !new File(basedir, 'target/llmstack/images.json').exists()
return true
