import dev.llmstack.it.Rig
Rig.removeImages('it-bad-base-not-found/web:dev')
return true
