import dev.llmstack.it.Rig
Rig.removeImages('it-bad-minikube-cli-missing/web:dev')
return true
