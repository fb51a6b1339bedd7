import dev.llmstack.it.Rig
Rig.removeImages('it-bad-offline-two-images/api:dev', 'it-bad-offline-two-images/web:dev')
return true
