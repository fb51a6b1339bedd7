import dev.llmstack.it.Rig

def ref = 'it-build-layer-links-excludes/app:dev'
assert Rig.fileInImage(ref, '/app/app.yaml').content() == 'name: app\n'
// links followed: regular files with the targets' content
assert Rig.fileInImage(ref, '/app/model.yaml').content() == 'model: shared\n'
assert Rig.fileInImage(ref, '/app/shared/model.yaml').content() == 'model: shared\n'
// excluded: the FIFO (never opened, or the build would hang) and the cache directory
['/app/run/ctl.fifo', '/app/.cache/big.bin', '/app/.cache'].each { path ->
  try {
    Rig.fileInImage(ref, path)
    assert false : "${path} is in the image"
  } catch (AssertionError e) {
    assert e.message.startsWith('No ') : e.message
  }
}
// the second build read no file (the stat cache) and rebuilt nothing
def log = new File(basedir, 'build.log').text
assert log.contains('[app] unchanged, not rebuilt')
assert log =~ /Input digests: 0 file\(s\) read, \d+ unchanged since the last build/
assert new File(basedir, 'target/llmstack/input-files.cache').isFile()
return true
