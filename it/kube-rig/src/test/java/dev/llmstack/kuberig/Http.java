package dev.llmstack.kuberig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP against the rig, for status codes the fabric8 client hides. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {
  }

  /** With the rig kubeconfig's bearer token, as its clients send it. */
  static HttpResponse<String> send(String method, String url, String contentType, String body) throws Exception {
    return send(method, url, contentType, body, "Bearer " + Authentication.TOKEN);
  }

  /** With the given Authorization header, or none when null. */
  static HttpResponse<String> send(String method, String url, String contentType, String body, String authorization)
      throws Exception {
    return send(method, url, contentType, body, authorization, null);
  }

  /** With the given Authorization and User-Agent headers, each left out when null. */
  static HttpResponse<String> send(String method, String url, String contentType, String body, String authorization,
      String userAgent) throws Exception {
    final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (userAgent != null) {
      b.header("User-Agent", userAgent);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
