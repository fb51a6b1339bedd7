import dev.llmstack.it.Rig

// the image a former run of this IT may have built (its deploy step, or a failed check): none at the start
Rig.removeImages('it-check-none/app:dev')
return true
