import dev.llmstack.it.Rig
Rig.removeImages('it-bad-unknown-target/web:dev')
return true
