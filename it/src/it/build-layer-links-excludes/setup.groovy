import dev.llmstack.it.Rig
import java.nio.file.Files
import java.nio.file.Path

Rig.removeImages('it-build-layer-links-excludes/app:dev')
def app = basedir.toPath().resolve('app')
def shared = Files.createDirectories(basedir.toPath().resolve('shared'))
Files.writeString(shared.resolve('model.yaml'), 'model: shared\n')
Files.createSymbolicLink(app.resolve('model.yaml'), Path.of('../shared/model.yaml'))
Files.createSymbolicLink(app.resolve('shared'), Path.of('../shared'))
Files.createDirectories(app.resolve('run'))
assert new ProcessBuilder('mkfifo', app.resolve('run/ctl.fifo').toString()).inheritIO().start().waitFor() == 0
Files.createDirectories(app.resolve('.cache'))
Files.writeString(app.resolve('.cache/big.bin'), 'not for the image\n')
// files edited long ago: the stat cache trusts them (a file changed within 2 s of the cache's write is read again)
def anHourAgo = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600))
[app.resolve('app.yaml'), shared.resolve('model.yaml')].each { Files.setLastModifiedTime(it, anHourAgo) }
return true
