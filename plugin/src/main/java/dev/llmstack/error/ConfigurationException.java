package dev.llmstack.error;

/** The build's configuration or the machine's setup is wrong; nothing in the stack failed. */
public class ConfigurationException extends LlmstackException {

  public ConfigurationException(String problem, String fix) {
    this(problem, fix, null);
  }

  public ConfigurationException(String problem, String fix, Throwable cause) {
    super(problem, fix, cause);
  }
}
