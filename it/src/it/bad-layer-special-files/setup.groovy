import dev.llmstack.it.Rig
import java.net.StandardProtocolFamily
import java.net.UnixDomainSocketAddress
import java.nio.channels.ServerSocketChannel
import java.nio.file.Files
import java.nio.file.Path

Rig.removeImages('it-bad-layer-special-files/fifo:dev', 'it-bad-layer-special-files/socket:dev',
    'it-bad-layer-special-files/dangling:dev', 'it-bad-layer-special-files/device:dev')
def dir = { String name -> Files.createDirectories(basedir.toPath().resolve(name)) }
['fifo', 'socket', 'dangling', 'device'].each { Files.writeString(dir(it).resolve('app.txt'), 'app\n') }
// a named pipe nobody writes to: opening it for reading would block forever
assert new ProcessBuilder('mkfifo', dir('fifo').resolve('ctl.fifo').toString()).inheritIO().start().waitFor() == 0
// a unix socket file (it stays on disk after the server closes)
ServerSocketChannel.open(StandardProtocolFamily.UNIX).withCloseable { it.bind(UnixDomainSocketAddress.of(dir('socket').resolve('agent.sock'))) }
Files.createSymbolicLink(dir('dangling').resolve('current'), Path.of('releases/v2'))
Files.createSymbolicLink(dir('device').resolve('null'), Path.of('/dev/null'))
return true
