import dev.llmstack.it.Rig
Rig.removeImages('it-bad-missing-layer-source/web:dev')
return true
