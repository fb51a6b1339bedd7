import dev.llmstack.it.Rig
Rig.removeImages('it-build-minikube-tls/app:dev')
return true
