import dev.llmstack.it.Rig

def images = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images')
assert images.size() == 2
images.each { image ->
  def name = image.get('name').asText()
  def repository = "it-push/it-push-registry/${name}"
  def shortId = image.get('imageId').asText().substring(7, 19)
  assert image.get('reference').asText() == "127.0.0.1:5000/${repository}:${shortId}"
  def stable = Rig.registryManifest('http', '127.0.0.1:5000', repository, 'dev', null, null)
  def byId = Rig.registryManifest('http', '127.0.0.1:5000', repository, shortId, null, null)
  assert stable != null && byId != null
  assert stable.digest == byId.digest
  assert stable.manifest.get('config').get('digest').asText() == image.get('imageId').asText()
}
return true
