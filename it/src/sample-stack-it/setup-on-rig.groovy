// Pre-build hook of the sample-stack invoker execution (it/pom.xml): a known start.
import dev.llmstack.it.Rig
import java.nio.file.Files
import java.nio.file.StandardCopyOption

// The overlay is ../k8s/overlays/dev: put k8s/ beside the clone (invoker clones sample-stack/ only).
def source = new File(basedir, '../../sample-stack-src/k8s').canonicalFile.toPath()
def k8s = new File(basedir, '../k8s').canonicalFile
k8s.deleteDir()
Files.walk(source).withCloseable { paths ->
  paths.each { p ->
    def to = k8s.toPath().resolve(source.relativize(p).toString())
    if (Files.isDirectory(p)) {
      Files.createDirectories(to)
    } else {
      Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING)
    }
  }
}
assert new File(k8s, 'overlays/dev/kustomization.yaml').isFile()

// The copy in target/sample-stack-it is refreshed by copy-sample-stack; an earlier run's output is not.
new File(basedir, 'target').deleteDir()
// The five images are built from scratch (no "unchanged, not rebuilt" from an earlier run).
def images = ['react-client', 'litellm', 'r2r', 'openwebui', 'postgres']
images.each { name ->
  def ids = Rig.dockerOrNull('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', name)
  ids?.readLines()?.findAll { it.trim() }?.each { Rig.removeImages(it.trim()) }
}
return true
