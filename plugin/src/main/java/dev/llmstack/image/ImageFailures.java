package dev.llmstack.image;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.error.StackFailureException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One message per cause: images that failed for the same reason (the same sentence but for the
 * image's name) are named together in one message instead of one message each. The first cause
 * fails the build; other causes, if any, are logged as warnings before it.
 */
final class ImageFailures {

  private record Failure(String image, LlmstackException explained) {}

  private final List<Failure> failures = new ArrayList<>();

  void add(String image, LlmstackException explained) {
    failures.add(new Failure(image, explained));
  }

  boolean isEmpty() {
    return failures.isEmpty();
  }

  /** One exception per cause, in the order the images are configured. */
  List<LlmstackException> byCause() {
    Map<String, List<Failure>> groups = new LinkedHashMap<>();
    for (Failure f : failures) {
      groups.computeIfAbsent(key(f), k -> new ArrayList<>()).add(f);
    }
    List<LlmstackException> causes = new ArrayList<>();
    for (List<Failure> group : groups.values()) {
      causes.add(group.size() == 1 ? group.get(0).explained() : merged(group));
    }
    return causes;
  }

  private static String key(Failure f) {
    return f.explained().getClass().getName() + "\n" + anonymous(f.explained().getMessage(), f.image());
  }

  private static LlmstackException merged(List<Failure> group) {
    LlmstackException first = group.get(0).explained();
    List<String> names = group.stream().map(f -> "'" + f.image() + "'").toList();
    String together =
        names.size() == 2
            ? names.get(0) + " and " + names.get(1)
            : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    String problem = plural(first.problem(), group.get(0).image(), together);
    String fix = first.fix() == null ? null : plural(first.fix(), group.get(0).image(), together);
    LlmstackException merged =
        first instanceof StackFailureException
            ? new StackFailureException(problem, fix)
            : new ConfigurationException(problem, fix);
    group.forEach(f -> merged.addSuppressed(f.explained()));
    return merged;
  }

  /** The message with this image's quoted name taken out, to compare with other images' messages. */
  private static String anonymous(String message, String image) {
    return message.replace("'" + image + "'", "'?'");
  }

  /** "image 'a'" / "Image 'a'" / "'a'" become "images 'a' and 'b'" / "Images ..." / "'a' and 'b'". */
  private static String plural(String text, String image, String together) {
    Matcher m = Pattern.compile("(?:([Ii])mage )?" + Pattern.quote("'" + image + "'")).matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replaced = m.group(1) == null ? together : m.group(1) + "mages " + together;
      m.appendReplacement(out, Matcher.quoteReplacement(replaced));
    }
    m.appendTail(out);
    return out.toString();
  }
}
