import dev.llmstack.it.Rig
Rig.removeImages('it-bad-daemon-unreachable/web:dev')
return true
