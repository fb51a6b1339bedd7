import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
def base = basedir.canonicalPath
Rig.assertCleanFailure(log, [
    "Image 'fifo': layer source ${base}/fifo contains a FIFO (named pipe) at ${base}/fifo/ctl.fifo",
    "Remove it, or exclude it with <layer><excludes><exclude>ctl.fifo</exclude></excludes>.",
    "Image 'socket': layer source ${base}/socket contains a unix socket at ${base}/socket/agent.sock",
    "Image 'dangling': layer source ${base}/dangling has a dangling symbolic link ${base}/dangling/current -> releases/v2",
    "Image 'device': layer source ${base}/device contains a character device at ${base}/device/null (reached through a symbolic link)"].collect { it.toString() } as String[])
// One error fails the build; the other causes are warnings, each said once.
def lines = log.readLines()
assert lines.count { it.startsWith('[ERROR] Failed to execute goal dev.llmstack:') } == 1
['FIFO (named pipe)', 'unix socket', 'dangling symbolic link', 'character device'].each { kind ->
  assert lines.count { it.contains(kind) && (it.startsWith('[WARNING]') || it.startsWith('[ERROR] Failed')) } == 1 : kind
}
// Nothing was built.
['fifo', 'socket', 'dangling', 'device'].each { assert !Rig.imageExists("it-bad-layer-special-files/${it}:dev") }
assert !new File(basedir, 'target/llmstack/images.json').exists()
return true
