import dev.llmstack.it.Rig
import java.security.MessageDigest

def record = { run -> Rig.json(new File(basedir, "target/run-${run}/llmstack/images.json")).get('images').get(0) }
def a = record('a'), b = record('b')
assert a.get('changed').asBoolean() && b.get('changed').asBoolean() // both really built
assert a.get('imageId').asText() == b.get('imageId').asText()
// Each run pulled the base into its own cache.
['a', 'b'].each { assert new File(basedir, "target/run-${it}/base-cache").list().length > 0 }
def sha = { f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
assert sha(new File(basedir, 'target/run-a/llmstack/images/app.tar')) == sha(new File(basedir, 'target/run-b/llmstack/images/app.tar'))
return true
