package dev.llmstack.maven;

import dev.llmstack.config.BuildConfig;
import dev.llmstack.log.BuildLog;
import java.io.File;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The build parameters build, deploy and dev declare (Maven binds a parameter only to a field of
 * the goal's own class), converted in one place.
 */
record BuildParameters(
    List<ImageParameter> images, String target, String registry, String tag, List<String> registryMirrors,
    List<String> insecureRegistries, File cacheDirectory, String minikubeProfile, String minikubeExecutable,
    String dockerHost, File dockerCertPath, File outputDirectory) {

  BuildConfig toConfig(MavenProject project, MavenSession session, SettingsDecrypter decrypter, String pluginVersion, BuildLog log) {
    return BuildConfig.of(
        ImageParameters.toSpecs(images, project.getBasedir().toPath()),
        target, registry, tag, outputDirectory, cacheDirectory,
        minikubeProfile, minikubeExecutable, dockerHost, dockerCertPath,
        RegistryParameters.settings(registryMirrors, insecureRegistries, session.getSettings(), decrypter, log),
        session.isOffline(),
        pluginVersion);
  }
}
