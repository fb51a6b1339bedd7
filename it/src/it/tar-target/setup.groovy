import dev.llmstack.it.Rig
Rig.removeImages('it-tar-target/app:dev')
return true
