import dev.llmstack.it.Rig
Rig.removeImages('it-bad-duplicate-names/web:dev')
return true
