import dev.llmstack.it.Rig
Rig.removeImages('it-bad-minikube-not-running/web:dev')
return true
