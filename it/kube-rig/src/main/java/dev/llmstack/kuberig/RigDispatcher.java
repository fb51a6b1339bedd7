package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wraps fabric8's {@link KubernetesCrudDispatcher} and fills the gaps the plugin relies on: authentication
 * ({@link Authentication}), discovery and 404 for types it does not serve ({@link Discovery}),
 * CustomResourceDefinitions ({@link CustomResourceDefinitions}, {@link SimulatedOperator}), every create, update and
 * patch done as the API server does it, server-side apply and managedFields included ({@link ObjectWrites}), DELETE
 * with garbage collection, namespace termination and grace periods ({@link Deletions}), the pod log subresource, 404
 * for subresources the mock does not know (instead of its misleading 200 List), tracking of open watch WebSockets so
 * that they can be cut, the pod {@code portforward} subresource (bridged to {@link PortForwarding}), the pod
 * {@code exec} subresource for docker-backed pods ({@link ExecSession}), 403 for namespaces named
 * {@code forbidden-*}, and the {@code /rig/} control endpoints for tests that run the rig as a separate process.
 */
final class RigDispatcher extends Dispatcher {

  static final String LOG_ANNOTATION = "rig.llmstack.dev/log";

  private static final ObjectMapper JSON = Serialization.jsonMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern POD_SUBRESOURCE = Pattern
      .compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/([^/]+)$");
  /** {@code /api/v1[/namespaces/ns]/plural[/name[/sub]]} or {@code /apis/group/version[/namespaces/ns]/plural[/name[/sub]]}. */
  private static final Pattern RESOURCE_PATH = Pattern.compile(
      "^/(?:api/(?<cv>[^/]+)|apis/(?<g>[^/]+)/(?<gv>[^/]+))(?:/namespaces/(?<ns>[^/]+))?/(?<plural>[^/]+)(?:/(?<name>[^/]+)(?:/(?<sub>[^/]+))?)?$");
  private final RigStore crud;
  private final ReentrantLock writeLock;
  private final Deletions deletions;
  /** Open watch WebSockets and the path each watches (no query). */
  private final Map<WebSocket, String> openWatches = new ConcurrentHashMap<>();
  private final PortForwarding portForwarding = new PortForwarding();
  private final DockerPods docker;
  private final CustomResourceDefinitions definitions;
  private final Discovery discovery;
  private final ObjectWrites writes;
  private final SimulatedOperator operator;
  private volatile KubeRig rig;
  private volatile Runnable requestHook = () -> {
  };

  RigDispatcher(RigStore crud, DockerPods docker) {
    this.crud = crud;
    this.writeLock = crud.writeLock();
    this.docker = docker;
    this.definitions = new CustomResourceDefinitions(crud);
    this.discovery = new Discovery(definitions::resources);
    this.writes = new ObjectWrites(crud, discovery);
    this.operator = new SimulatedOperator(writes, this::locked);
    writes.afterEachWrite(this::afterWrite);
    this.deletions = new Deletions(crud, this::sweepDeleted);
  }

  /** Stops the simulated operator's and the controller manager's threads (garbage collector, namespace controller, grace periods). */
  void close() {
    try {
      operator.close();
    } finally {
      deletions.close();
    }
  }

  void onEachRequest(Runnable hook) {
    this.requestHook = hook;
  }

  /** The rig the {@code /rig/} control endpoints act on. */
  void controlledBy(KubeRig rig) {
    this.rig = rig;
  }

  PortForwarding portForwarding() {
    return portForwarding;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requestHook.run();
    try {
      return doDispatch(request);
    } catch (RuntimeException e) {
      return status(500, "InternalError", "kube rig: " + e);
    }
  }

  private MockResponse doDispatch(RecordedRequest request) {
    final String fullPath = request.getPath();
    final int q = fullPath.indexOf('?');
    final String path = q < 0 ? fullPath : fullPath.substring(0, q);
    final Map<String, String> query = parseQuery(q < 0 ? "" : fullPath.substring(q + 1));
    final HttpMethod method = request.method();

    if (path.startsWith("/rig/")) {
      return control(method, path, query);
    }
    final RequestInfo info = RequestInfo.of(method, path, query);
    final MockResponse refused = Authentication.refusal(request, info);
    if (refused != null) {
      return refused;
    }
    final MockResponse special = serveSpecialPaths(method, path);
    if (special != null) {
      return special;
    }
    final MockResponse unknownType = unknownType(info);
    if (unknownType != null) {
      return unknownType;
    }
    if (method == HttpMethod.DELETE && CustomResourceDefinitions.isDefinition(info) && !info.name().isEmpty()) {
      return locked(() -> deleteDefinition(info, request));
    }
    final Matcher podSub = POD_SUBRESOURCE.matcher(path);
    if (podSub.matches() && !"status".equals(podSub.group(3))) {
      if ("log".equals(podSub.group(3)) && method == HttpMethod.GET) {
        return podLog(podSub.group(1), podSub.group(2), query);
      }
      if ("portforward".equals(podSub.group(3)) && (method == HttpMethod.GET || method == HttpMethod.POST)) {
        return portForward(podSub.group(1), podSub.group(2), query, request);
      }
      if ("exec".equals(podSub.group(3)) && (method == HttpMethod.GET || method == HttpMethod.POST)) {
        return exec(podSub.group(1), podSub.group(2), q < 0 ? "" : fullPath.substring(q + 1), query, request);
      }
      return status(404, "NotFound", "the kube rig does not serve the pods/" + podSub.group(3) + " subresource");
    }
    final Matcher m = RESOURCE_PATH.matcher(path);
    if (m.matches() && m.group("sub") != null && !Set.of("status", "scale").contains(m.group("sub"))) {
      return status(404, "NotFound", "the kube rig does not serve the " + m.group("plural") + "/" + m.group("sub")
          + " subresource");
    }
    final MockResponse forbidden = forbiddenNamespace(method, path, request, info);
    if (forbidden != null) {
      return forbidden;
    }

    if (isObjectWrite(info, method)) {
      return locked(() -> write(info, request, query));
    }
    switch (method) {
      case GET: {
        if ("true".equals(query.get("watch"))) {
          return trackWatch(path, crud.dispatch(request));
        }
        final MockResponse got = crud.dispatch(request);
        return got.code() == 404 && !info.name().isEmpty() ? ObjectWrites.notFound(info) : got;
      }
      case PUT:
      case PATCH:
      case POST:
        return locked(() -> crud.dispatch(request));
      case DELETE:
        return locked(() -> deletions.delete(fullPath, query, bodyOf(request)));
      default:
        return crud.dispatch(request);
    }
  }

  /** A create (POST to a collection), or an update or patch of an object or its status. */
  private static boolean isObjectWrite(RequestInfo info, HttpMethod method) {
    if (!info.resourceRequest()) {
      return false;
    }
    if (info.name().isEmpty()) {
      return method == HttpMethod.POST;
    }
    return (method == HttpMethod.PUT || method == HttpMethod.PATCH) && !"scale".equals(info.subresource());
  }

  /** Creates, updates and patches: {@link ObjectWrites}, with the manager an update is recorded under. */
  private MockResponse write(RequestInfo info, RecordedRequest request, Map<String, String> query) {
    final String userAgent = request.getHeader("User-Agent");
    switch (request.method()) {
      case POST:
        return writes.create(info, bodyOf(request), ManagedFields.updateManager(query.get("fieldManager"), userAgent));
      case PUT:
        return writes.replace(info, bodyOf(request), ManagedFields.updateManager(query.get("fieldManager"),
            userAgent));
      default:
        return writes.patch(info, request.getHeader("Content-Type"), bodyOf(request), query, userAgent);
    }
  }

  // ---------------------------------------------------------------- discovery and health

  private MockResponse serveSpecialPaths(HttpMethod method, String path) {
    if (method != HttpMethod.GET) {
      return null;
    }
    switch (path) {
      case "/version":
        return json(200, "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0-kube-rig\","
            + "\"platform\":\"linux/amd64\"}");
      case "/healthz":
      case "/readyz":
      case "/livez":
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody("ok");
      default:
        return path.startsWith("/api") ? discovery.serve(path) : null;
    }
  }

  /**
   * 404 as the API server answers it for a resource type it does not serve (neither built in nor defined by a
   * CustomResourceDefinition), or for a cluster-scoped type under a namespace. Null when the type is served.
   */
  private MockResponse unknownType(RequestInfo info) {
    if (!info.resourceRequest()) {
      return null;
    }
    final Optional<Discovery.Resource> type = discovery.resolve(info);
    final boolean namespaceItself = info.group().isEmpty() && info.resource().equals("namespaces");
    if (type.isEmpty() || !type.get().namespaced() && !info.namespace().isEmpty() && !namespaceItself) {
      return Discovery.notFound();
    }
    return null;
  }

  /** After an object was stored: definitions get established, custom resources their simulated operator. */
  private void afterWrite(RequestInfo object, JsonNode stored) {
    if (CustomResourceDefinitions.isDefinition(object)) {
      definitions.established(object, stored, writes);
    } else {
      discovery.resolve(object).ifPresent(type -> operator.changed(object, type));
    }
  }

  /** Deleting a definition deletes its objects first (their watchers see them go), then the definition. */
  private MockResponse deleteDefinition(RequestInfo info, RecordedRequest request) {
    definitions.deleteObjectsOf(info.name());
    final MockResponse response = crud.dispatch(request);
    definitions.changed();
    return response;
  }

  // ---------------------------------------------------------------- pod log

  private MockResponse podLog(String namespace, String pod, Map<String, String> query) {
    final JsonNode current = current("/api/v1/namespaces/" + namespace + "/pods/" + pod);
    if (current == null) {
      return status(404, "NotFound", "pods \"" + pod + "\" not found");
    }
    if (DockerPods.isDockerBacked(current)) {
      return dockerLog(current, pod, query);
    }
    final String container = query.get("container");
    if (container != null && !hasContainer(current, container)) {
      return status(400, "BadRequest", "container " + container + " is not valid for pod " + pod);
    }
    final JsonNode annotated = current.path("metadata").path("annotations").get(LOG_ANNOTATION);
    String text = annotated != null && !annotated.isNull() ? annotated.asText() : "started " + pod;
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (query.containsKey("tailLines")) {
      try {
        final int tail = Integer.parseInt(query.get("tailLines"));
        lines = lines.subList(Math.max(0, lines.size() - tail), lines.size());
      } catch (NumberFormatException e) {
        return status(400, "BadRequest", "tailLines must be a number");
      }
    }
    final StringBuilder out = new StringBuilder();
    lines.forEach(l -> out.append(l).append('\n'));
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
        .setBody(out.toString());
  }

  /** {@code docker logs} of the container (stdout and stderr merged), {@code tailLines}, {@code timestamps}. */
  private MockResponse dockerLog(JsonNode current, String pod, Map<String, String> query) {
    final Object container = resolveContainer(current, pod, query.get("container"));
    if (container instanceof MockResponse) {
      return (MockResponse) container;
    }
    final Optional<DockerPods.Target> target = docker.target(current.path("metadata").path("uid").asText(),
        (String) container);
    if (target.isEmpty() || target.get().state.phase != DockerPods.Phase.RUNNING
        && target.get().state.phase != DockerPods.Phase.EXITED) {
      final String reason = target.map(t -> t.state.reason).orElse("ContainerCreating");
      return status(400, "BadRequest", "container \"" + container + "\" in pod \"" + pod
          + "\" is waiting to start: " + reason);
    }
    final List<String> args = new ArrayList<>(List.of("logs"));
    if (query.containsKey("tailLines")) {
      try {
        args.add("--tail=" + Integer.parseInt(query.get("tailLines")));
      } catch (NumberFormatException e) {
        return status(400, "BadRequest", "tailLines must be a number");
      }
    }
    if (isTrue(query.get("timestamps"))) {
      args.add("--timestamps");
    }
    args.add(target.get().dockerName);
    final DockerPods.Result logs = docker.logs(args);
    if (logs.exitCode != 0) {
      return status(500, "InternalError", "docker logs " + target.get().dockerName + ": " + logs.message());
    }
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(logs.out);
  }

  private static boolean hasContainer(JsonNode pod, String container) {
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : pod.path("spec").path(list)) {
        if (container.equals(c.path("name").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- port-forward

  private MockResponse portForward(String namespace, String pod, Map<String, String> query,
      RecordedRequest request) {
    final String ports = query.get("ports");
    if (ports == null || ports.isEmpty()) {
      return status(400, "BadRequest", "at least one port must be specified in the ports parameter");
    }
    if (ports.contains(",")) {
      return status(400, "BadRequest", "the kube rig forwards one port per connection, got ports=" + ports);
    }
    final int port;
    try {
      port = Integer.parseInt(ports.trim());
    } catch (NumberFormatException e) {
      return status(400, "BadRequest", "invalid port \"" + ports + "\"");
    }
    if (port < 1 || port > 65535) {
      return status(400, "BadRequest", "port " + port + " must be in the range 1-65535");
    }
    final JsonNode current = current("/api/v1/namespaces/" + namespace + "/pods/" + pod);
    if (current == null) {
      return status(404, "NotFound", "pods \"" + pod + "\" not found");
    }
    final String upgrade = request.getHeader("Upgrade");
    if (upgrade == null || !"websocket".equalsIgnoreCase(upgrade.trim())) {
      return status(400, "BadRequest", "Upgrade request required");
    }
    final String uid = current.path("metadata").path("uid").asText();
    final String notReady = isRunningAndReady(current) ? null
        : "error forwarding port " + port + " to pod " + pod + ", uid " + uid + ": pod not ready";
    final PortForwarding.Target target = new PortForwarding.Target(namespace, pod, port);
    if (DockerPods.isDockerBacked(current) && !portForwarding.isRegistered(target)) {
      // the pod's own container, through busybox-style nc inside it (containers have only their loopback)
      final String container = containerForPort(current, port);
      final Optional<DockerPods.Target> t = container == null ? Optional.empty() : docker.target(uid, container);
      return new MockResponse().withWebSocketUpgrade(portForwarding.session(target, uid, notReady, () -> {
        if (t.isEmpty()) {
          throw new IOException("container " + container + " has not been started");
        }
        return docker.process(List.of("exec", "-i", t.get().dockerName, "nc", "127.0.0.1", String.valueOf(port)));
      }));
    }
    return new MockResponse().withWebSocketUpgrade(portForwarding.session(target, uid, notReady));
  }

  /** The main container that declares the port, else the first one. */
  private static String containerForPort(JsonNode pod, int port) {
    String first = null;
    for (JsonNode c : pod.path("spec").path("containers")) {
      if (first == null) {
        first = c.path("name").asText();
      }
      for (JsonNode p : c.path("ports")) {
        if (p.path("containerPort").asInt() == port) {
          return c.path("name").asText();
        }
      }
    }
    return first;
  }

  // ---------------------------------------------------------------- exec

  private MockResponse exec(String namespace, String pod, String rawQuery, Map<String, String> query,
      RecordedRequest request) {
    final JsonNode current = current("/api/v1/namespaces/" + namespace + "/pods/" + pod);
    if (current == null) {
      return status(404, "NotFound", "pods \"" + pod + "\" not found");
    }
    if (!DockerPods.isDockerBacked(current)) {
      return status(400, "BadRequest", "pod " + namespace + "/" + pod + " is simulated (no containers); annotate it"
          + " with " + DockerPods.RUN_ANNOTATION + ": docker to exec into it");
    }
    final Object container = resolveContainer(current, pod, query.get("container"));
    if (container instanceof MockResponse) {
      return (MockResponse) container;
    }
    final List<String> command = queryValues(rawQuery, "command");
    if (command.isEmpty()) {
      return status(400, "BadRequest", "you must specify at least 1 command");
    }
    final boolean stdin = isTrue(query.get("stdin"));
    final boolean stdout = isTrue(query.get("stdout"));
    final boolean stderr = isTrue(query.get("stderr"));
    if (!stdin && !stdout && !stderr) {
      return status(400, "BadRequest", "you must specify at least one of stdin, stdout, stderr");
    }
    final String upgrade = request.getHeader("Upgrade");
    if (upgrade == null || !"websocket".equalsIgnoreCase(upgrade.trim())) {
      return status(400, "BadRequest", "Upgrade request required");
    }
    final Optional<DockerPods.Target> target = docker.target(current.path("metadata").path("uid").asText(),
        (String) container);
    if (target.isEmpty() || target.get().state.phase != DockerPods.Phase.RUNNING) {
      return status(400, "BadRequest", "unable to upgrade connection: container not found (\"" + container + "\")");
    }
    return new MockResponse().withWebSocketUpgrade(new ExecSession(docker, target.get().dockerName, command, stdin,
        stdout, stderr));
  }

  /** The named container, or the only main container; else a 400 as the API server answers it. */
  private static Object resolveContainer(JsonNode pod, String podName, String container) {
    if (container != null && !container.isEmpty()) {
      return hasContainer(pod, container) ? container
          : status(400, "BadRequest", "container " + container + " is not valid for pod " + podName);
    }
    final List<String> names = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
    if (names.size() == 1) {
      return names.get(0);
    }
    return status(400, "BadRequest", "a container name must be specified for pod " + podName + ", choose one of: ["
        + String.join(" ", names) + "]");
  }

  private static boolean isTrue(String value) {
    return "true".equalsIgnoreCase(value) || "1".equals(value);
  }

  private static List<String> queryValues(String rawQuery, String name) {
    final List<String> values = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      final int eq = pair.indexOf('=');
      if (eq > 0 && name.equals(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8))) {
        values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  private static boolean isRunningAndReady(JsonNode pod) {
    if (!"Running".equals(pod.path("status").path("phase").asText())
        || pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return false;
    }
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }

  /**
   * Stops default backends and forwards of pods that no longer exist, and removes the containers of docker-backed
   * pods that are gone or being deleted.
   */
  private void sweepDeleted() {
    portForwarding.sweep((ns, pod) -> current("/api/v1/namespaces/" + ns + "/pods/" + pod) != null);
    docker.sweep((ns, pod, uid) -> {
      final JsonNode current = current("/api/v1/namespaces/" + ns + "/pods/" + pod);
      return current != null && uid.equals(current.path("metadata").path("uid").asText())
          && !current.path("metadata").hasNonNull("deletionTimestamp");
    });
  }

  // ---------------------------------------------------------------- control endpoints (/rig/)

  private MockResponse control(HttpMethod method, String path, Map<String, String> query) {
    switch (path) {
      case "/rig/cut-watches":
        if (method != HttpMethod.POST) {
          return status(405, "MethodNotAllowed", "use POST " + path);
        }
        return json(200, "{\"cut\":" + cutWatches() + "}");
      case "/rig/replace-pod": {
        if (method != HttpMethod.POST) {
          return status(405, "MethodNotAllowed", "use POST " + path);
        }
        final String ns = query.get("namespace");
        final String name = query.get("name");
        if (ns == null || ns.isEmpty() || name == null || name.isEmpty()) {
          return status(400, "BadRequest", "give namespace=<ns>&name=<pod>");
        }
        // Same as KubeletSimulator.replacePod, done in place: that one goes through the client, which would wait
        // for this very server from its own request thread.
        return locked(() -> {
          final String podPath = "/api/v1/namespaces/" + ns + "/pods/" + name;
          if (current(podPath) == null) {
            return status(404, "NotFound", "pods \"" + name + "\" not found");
          }
          final MockResponse deleted = deletions.deleteObject(podPath, DeleteOptions.BACKGROUND);
          if (deleted.code() != 200) {
            return deleted;
          }
          final ObjectNode answer = JsonNodeFactory.instance.objectNode();
          answer.put("namespace", ns).put("deleted", name);
          return json(200, answer.toString());
        });
      }
      case "/rig/ready-at": {
        if (method != HttpMethod.GET) {
          return status(405, "MethodNotAllowed", "use GET " + path);
        }
        final String ns = query.get("namespace");
        final String name = query.get("name");
        if (ns == null || ns.isEmpty() || name == null || name.isEmpty()) {
          return status(400, "BadRequest", "give namespace=<ns>&name=<workload>");
        }
        final KubeRig r = rig;
        if (r == null) {
          return status(503, "ServiceUnavailable", "the kube rig is starting");
        }
        return r.kubelet().markedReadyAt(ns, name)
            .map(at -> json(200, "{\"readyAt\":\"" + at + "\"}"))
            .orElseGet(() -> status(404, "NotFound", "the kubelet simulator has not marked " + ns + "/" + name
                + " ready"));
      }
      case "/rig/outage": {
        if (method != HttpMethod.POST) {
          return status(405, "MethodNotAllowed", "use POST " + path);
        }
        double seconds;
        try {
          seconds = Double.parseDouble(query.getOrDefault("seconds", ""));
        } catch (NumberFormatException e) {
          seconds = 0;
        }
        if (!(seconds > 0)) {
          return status(400, "BadRequest", "give seconds=<how long the API server is lost, more than 0>");
        }
        final KubeRig r = rig;
        if (r == null) {
          return status(503, "ServiceUnavailable", "the kube rig is starting");
        }
        r.outageAfterAnswer(Duration.ofMillis((long) (seconds * 1000)));
        // the front door starts the outage once this connection has ended
        return json(200, "{\"outageSeconds\":" + seconds + "}").setHeader("Connection", "close");
      }
      default:
        return status(404, "NotFound", "unknown kube rig control endpoint " + path
            + " (POST /rig/cut-watches, POST /rig/replace-pod, GET /rig/ready-at, POST /rig/outage)");
    }
  }

  // ---------------------------------------------------------------- forbidden namespaces

  static final String FORBIDDEN_NAMESPACE_PREFIX = "forbidden-";
  private static final Pattern NAMESPACE_PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)$");

  /** Creating a namespace named forbidden-*: 403 as RBAC would answer. Null when the request is allowed. */
  private MockResponse forbiddenNamespace(HttpMethod method, String path, RecordedRequest request, RequestInfo info) {
    String name = null;
    if (method == HttpMethod.POST && "/api/v1/namespaces".equals(path)) {
      try {
        final JsonNode meta = YAML.readTree(bodyOf(request)).path("metadata");
        name = meta.hasNonNull("name") ? meta.get("name").asText() : meta.path("generateName").asText("");
      } catch (Exception e) {
        return null; // let the mock answer the malformed body
      }
    } else if (method == HttpMethod.PATCH || method == HttpMethod.PUT) {
      final Matcher ns = NAMESPACE_PATH.matcher(path);
      if (ns.matches() && ns.group(1).startsWith(FORBIDDEN_NAMESPACE_PREFIX) && current(path) == null) {
        name = ns.group(1);
      }
    }
    if (name == null || !name.startsWith(FORBIDDEN_NAMESPACE_PREFIX)) {
      return null;
    }
    return Forbidden.of(Authentication.USER, info);
  }

  // ---------------------------------------------------------------- watches

  private MockResponse trackWatch(String path, MockResponse original) {
    final WebSocketListener delegate = original.getWebSocketListener();
    if (delegate == null) {
      return original;
    }
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onBeforeAccept(WebSocket webSocket, Response response) {
        delegate.onBeforeAccept(webSocket, response);
      }

      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        openWatches.put(webSocket, path);
        delegate.onOpen(webSocket, response);
      }

      @Override
      public void onMessage(WebSocket webSocket, String text) {
        delegate.onMessage(webSocket, text);
      }

      @Override
      public void onMessage(WebSocket webSocket, byte[] bytes) {
        delegate.onMessage(webSocket, bytes);
      }

      @Override
      public void onClosing(WebSocket webSocket, int code, String reason) {
        openWatches.remove(webSocket);
        delegate.onClosing(webSocket, code, reason);
      }

      @Override
      public void onClosed(WebSocket webSocket, int code, String reason) {
        openWatches.remove(webSocket);
        delegate.onClosed(webSocket, code, reason);
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        openWatches.remove(webSocket);
        delegate.onFailure(webSocket, error, response);
      }
    });
  }

  int openWatches() {
    return openWatches.size();
  }

  /** The paths the open watches watch, one entry per watch. */
  List<String> openWatchPaths() {
    return new ArrayList<>(openWatches.values());
  }

  /** @return how many watches were cut */
  int cutWatches() {
    final String expired = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version (cut by the kube rig)\","
        + "\"reason\":\"Expired\",\"code\":410}}";
    int cut = 0;
    for (WebSocket ws : new ArrayList<>(openWatches.keySet())) {
      if (openWatches.remove(ws) != null) {
        cut++;
        ws.send(expired);
        ws.close(1000, "cut by the kube rig");
      }
    }
    return cut;
  }

  // ---------------------------------------------------------------- helpers

  private MockResponse locked(java.util.function.Supplier<MockResponse> action) {
    writeLock.lock();
    try {
      return action.get();
    } finally {
      writeLock.unlock();
    }
  }

  /** The stored object at a named path, or null. */
  JsonNode current(String path) {
    final MockResponse response = crud.dispatch(request(HttpMethod.GET, path, null, null));
    if (response.code() != 200) {
      return null;
    }
    final JsonNode node = readTree(bodyString(response));
    return node.has("metadata") && !node.has("items") ? node : null;
  }

  private static String bodyString(MockResponse response) {
    return response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  private static String bodyOf(RecordedRequest request) {
    return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  private static JsonNode readTree(String body) {
    try {
      final JsonNode node = JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
      return node == null ? JsonNodeFactory.instance.objectNode() : node;
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  static RecordedRequest request(HttpMethod method, String path, String body, String contentType) {
    final Headers.Builder headers = Headers.builder();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers.build(),
        new Buffer(body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, String> parseQuery(String query) {
    final Map<String, String> result = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      final int eq = pair.indexOf('=');
      final String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      final String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      result.put(key, value);
    }
    return result;
  }

  static MockResponse status(int code, String reason, String message) {
    return status(code, reason, message, null);
  }

  /** A failure {@code Status} as the API server writes it, with {@code details} when given. */
  static MockResponse status(int code, String reason, String message, ObjectNode details) {
    final ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason);
    if (details != null) {
      status.set("details", details);
    }
    status.put("code", code);
    return json(code, status.toString());
  }

  static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }
}
