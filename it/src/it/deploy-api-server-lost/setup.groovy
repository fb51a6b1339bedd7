import dev.llmstack.kuberig.KubeRig

// A cluster of this IT's own (the shared one serves the other ITs): stopped for good once deploy is waiting,
// i.e. once watches beyond the rig's own kubelet simulator are open.
def rig = KubeRig.start()
rig.writeKubeconfig(new File(basedir, 'private.kubeconfig').toPath())
int simulatorWatches = rig.openWatches()
def stoppedAt = new File(basedir, 'stopped-at')
Thread.start('stop-api-server') {
  try {
    long deadline = System.currentTimeMillis() + 240_000
    while (rig.openWatches() <= simulatorWatches && System.currentTimeMillis() < deadline) {
      Thread.sleep(100) // polling the rig for the plugin's watches; the plugin itself is not waited for by time
    }
    stoppedAt.text = Long.toString(System.currentTimeMillis())
  } finally {
    rig.close()
  }
}
return true
