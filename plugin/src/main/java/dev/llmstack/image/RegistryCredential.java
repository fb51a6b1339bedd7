package dev.llmstack.image;

/** A registry login. {@link #toString()} never shows the password. */
public record RegistryCredential(String username, String password, String source) {

  @Override
  public String toString() {
    return "RegistryCredential[" + username + " from " + source + "]";
  }
}
