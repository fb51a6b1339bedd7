import dev.llmstack.it.Rig
Rig.removeImages('it-bad-offline-uncached-base/web:dev')
return true
