package dev.llmstack.docker;

import dev.llmstack.error.ConfigurationException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's image reference grammar (distribution/reference, {@code reference.go}, the grammar the
 * daemon and every registry client apply), so a bad tag or repository is refused when the
 * parameter is read, naming it, instead of by the daemon's "invalid reference format" later:
 *
 * <pre>
 * reference        := name [ ":" tag ] [ "@" digest ]
 * name             := [domain '/'] path-component ['/' path-component]*     (at most 255 characters)
 * domain           := host [':' port-number]
 * host             := domain-name | IPv4address | '[' IPv6address ']'
 * domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 * path-component   := alpha-numeric [separator alpha-numeric]*
 * alpha-numeric    := /[a-z0-9]+/
 * separator        := /[_.]|__|[-]+/
 * tag              := /[\w][\w.-]{0,127}/
 * digest           := algorithm ":" /[0-9a-fA-F]{32,}/
 * </pre>
 *
 * The first part of a name is a domain if it contains '.' or ':' or is {@code localhost}, as the
 * docker CLI splits it.
 */
public final class DockerReference {

  /** What a tag may be, in words, for the fix of an error. */
  public static final String TAG_RULE =
      "A tag is 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (Docker's reference"
          + " grammar), e.g. dev or v1.2.3";

  /** What a repository may be, in words. */
  public static final String REPOSITORY_RULE =
      "A repository is lower-case letters and digits, separated by '/', '.', '_', '__' or '-', optionally after"
          + " a registry host[:port]/, at most 255 characters (Docker's reference grammar), e.g."
          + " ghcr.io/acme/litellm";

  private static final int NAME_MAX = 255;
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern DOMAIN =
      Pattern.compile("(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final Pattern SPLIT = Pattern.compile("^(.*?)(?::([^:/@]*))?(?:@(.*))?$");

  private DockerReference() {}

  /** Why {@code tag} is not a valid tag, if it is not. */
  public static Optional<String> tagProblem(String tag) {
    if (tag == null || tag.isEmpty()) {
      return Optional.of("it is empty");
    }
    if (tag.length() > 128) {
      return Optional.of("it is " + tag.length() + " characters long, at most 128 are allowed");
    }
    if (TAG.matcher(tag).matches()) {
      return Optional.empty();
    }
    if (tag.startsWith(".") || tag.startsWith("-")) {
      return Optional.of("it starts with '" + tag.charAt(0) + "'");
    }
    return Optional.of("it contains " + firstBad(tag, "[\\w.-]"));
  }

  /** Why {@code name} ([registry/]path, no tag) is not a valid repository, if it is not. */
  public static Optional<String> repositoryProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("it is empty");
    }
    if (name.length() > NAME_MAX) {
      return Optional.of("it is " + name.length() + " characters long, at most " + NAME_MAX + " are allowed");
    }
    String[] parts = name.split("/", -1);
    int first = 0;
    if (parts.length > 1 && isDomain(parts[0])) {
      if (!DOMAIN.matcher(parts[0]).matches()) {
        return Optional.of("its registry '" + parts[0] + "' is not a host[:port]");
      }
      first = 1;
    }
    for (int i = first; i < parts.length; i++) {
      String part = parts[i];
      if (PATH_COMPONENT.matcher(part).matches()) {
        continue;
      }
      if (part.isEmpty()) {
        return Optional.of("it has an empty part between '/'");
      }
      if (!part.equals(part.toLowerCase(java.util.Locale.ROOT))) {
        return Optional.of("'" + part + "' has upper-case letters (repositories are lower case)");
      }
      String bad = firstBad(part, "[a-z0-9._-]");
      return Optional.of(
          bad.isEmpty() ? "'" + part + "' must start and end with a letter or digit" : "it contains " + bad);
    }
    return Optional.empty();
  }

  /** Why {@code reference} (name[:tag][@digest]) is not a valid image reference, if it is not. */
  public static Optional<String> referenceProblem(String reference) {
    if (reference == null || reference.isBlank()) {
      return Optional.of("it is empty");
    }
    Matcher m = SPLIT.matcher(reference);
    if (!m.matches()) {
      return Optional.of("it is not [registry/]repository[:tag][@digest]");
    }
    String name = m.group(1);
    String tag = m.group(2);
    String digest = m.group(3);
    if (name.contains("@") || (digest != null && digest.contains("@"))) {
      return Optional.of("it has more than one '@'");
    }
    Optional<String> nameProblem = repositoryProblem(name);
    if (nameProblem.isPresent()) {
      return nameProblem;
    }
    if (tag != null) {
      Optional<String> tagProblem = tagProblem(tag);
      if (tagProblem.isPresent()) {
        return Optional.of("its tag '" + tag + "' is not valid: " + tagProblem.get());
      }
    }
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      return Optional.of("its digest '" + digest + "' is not algorithm:hex, e.g. sha256:<64 hex digits>");
    }
    return Optional.empty();
  }

  /**
   * Checks a tag parameter.
   *
   * @param parameter how the user sets it, e.g. {@code <tag> (-Dllmstack.tag)}
   */
  public static String requireTag(String tag, String parameter) {
    String value = tag == null ? null : tag.trim();
    tagProblem(value)
        .ifPresent(
            problem -> {
              throw new ConfigurationException(
                  parameter + " '" + tag + "' is not a valid Docker tag: " + problem + ".", TAG_RULE + ".");
            });
    return value;
  }

  /**
   * Checks a registry to push to: {@code host[:port][/path]}, e.g. {@code localhost:5000/llmstack}.
   *
   * @param parameter how the user sets it, e.g. {@code <registry> (-Dllmstack.registry)}
   */
  public static String requireRegistry(String registry, String parameter) {
    String host = registry.contains("/") ? registry.substring(0, registry.indexOf('/')) : registry;
    String problem =
        !DOMAIN.matcher(host).matches()
            ? "'" + host + "' is not a registry host[:port]"
            : registry.equals(host) ? null : repositoryProblem(registry).orElse(null);
    if (problem != null) {
      throw new ConfigurationException(
          parameter + " '" + registry + "' is not a valid registry: " + problem + ".",
          "Write it as host[:port][/path], e.g. localhost:5000/llmstack (the path lower case, as repositories are).");
    }
    return registry;
  }

  private static boolean isDomain(String first) {
    return first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
  }

  /** "' ' (a space)" or "':'": the first character outside {@code allowed}, "" if none. */
  private static String firstBad(String value, String allowed) {
    for (int i = 0; i < value.length(); i++) {
      String c = String.valueOf(value.charAt(i));
      if (!c.matches(allowed)) {
        return c.equals(" ") ? "' ' (a space)" : "'" + c + "'";
      }
    }
    return "";
  }
}
