import dev.llmstack.it.Rig

def image = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images').get(0)
def repository = 'it-push-auth/it-push-auth-registry/app'
// Without a login the registry refuses; with it the pushed manifest is there under both tags.
assert Rig.registryManifest('https', '127.0.0.1:5001', repository, 'dev', null, null) == null
def stable = Rig.registryManifest('https', '127.0.0.1:5001', repository, 'dev', 'llmstack', 'rig-s3cret')
assert stable.manifest.get('config').get('digest').asText() == image.get('imageId').asText()
assert Rig.registryManifest('https', '127.0.0.1:5001', repository, image.get('imageId').asText().substring(7, 19), 'llmstack', 'rig-s3cret') != null
// The password never reaches the log or target/.
assert !new File(basedir, 'build.log').text.contains('rig-s3cret')
new File(basedir, 'target').eachFileRecurse { f -> if (f.isFile() && f.length() < 10_000_000) assert !f.text.contains('rig-s3cret') }
return true
