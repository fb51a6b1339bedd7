import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log').text
// -V: the Maven that ran says which Java it ran on
assert log =~ /Java version: 25[.\d]*, vendor: Eclipse Adoptium/ : 'not run on Temurin 25'
assert log.contains('[app] built it-java-25-build/app:')
assert Rig.fileInImage('it-java-25-build/app:dev', '/app/VERSION').content() == 'app v1\n'
return true
