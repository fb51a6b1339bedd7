import dev.llmstack.it.Rig
Rig.removeImages('it-build-minikube-containerd/app:dev')
return true
