import dev.llmstack.it.Rig

def jdk = new File('/usr/lib/jvm/temurin-25-jdk-amd64/bin/java')
if (!jdk.canExecute()) {
  throw new AssertionError("Java 25 is not installed at ${jdk.parentFile.parent} (Temurin 25, which the machine notes"
      + " list on this kind of machine), so the plugin cannot be tested on Java 25 here. This IT fails rather than"
      + " pass without having run on it: install Temurin 25 there, or leave the IT out with"
      + " -Dinvoker.test='*,!java-25*' and say so.")
}
Rig.removeImages('it-java-25-build/app:dev')
return true
