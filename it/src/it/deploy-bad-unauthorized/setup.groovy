// The rig's kubeconfig with an expired token, as after a cluster was recreated (minikube delete; minikube start).
def config = new File(kubeconfig as String).text
def stale = config.replaceAll(/token: .*/, 'token: expired-token-0123456789')
assert stale != config : 'the rig kubeconfig has no token to replace'
new File(basedir, 'stale.kubeconfig').text = stale
new File(basedir, "started-at").text = Long.toString(System.currentTimeMillis())
return true
