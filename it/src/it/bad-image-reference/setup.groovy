import dev.llmstack.it.Rig
Rig.removeImages('it-bad-image-reference/web:dev')
return true
