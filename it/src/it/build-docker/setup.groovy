import dev.llmstack.it.Rig
Rig.removeImages('it-build-docker/web:dev', 'it-build-docker/litellm:dev')
return true
