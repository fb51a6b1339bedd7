import dev.llmstack.it.Rig
Rig.removeImages('it-rebuild-no-change/app:dev', 'it-rebuild-no-change/worker:dev')
new File(basedir, 'started-at').text = Long.toString(System.currentTimeMillis().intdiv(1000) - 1)
return true
