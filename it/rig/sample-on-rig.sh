#!/usr/bin/env bash
# The sample stack's flow on the test rig, for a reader without minikube:
#
#   it/rig/sample-on-rig.sh          the main command's mvn verify (check, npm, tests, build, deploy, forward), then
#                                    forwards the stack's services and prints their endpoints until Ctrl-C
#   it/rig/sample-on-rig.sh --dev    llmstack:dev instead (the seed's skaffold dev): edit
#                                    sample-stack/images/litellm/config.yaml and GET <litellm url>/config.yaml
#
# Ctrl-C undeploys and stops the simulated cluster. Needs the test rig (it/rig/rig.sh start), java, npm, chromium.
#
# REAL here: the Docker daemon the five images are built into (the rig's dockerd, reached through the stand-in
# minikube's docker-env over TLS), the registry serving their base images, kubectl kustomize, npm and Chromium, and
# the LiteLLM pod: a real container of the built litellm image, its supervisor as PID 1.
# SIMULATED: the Kubernetes API server and kubelet (it/kube-rig: fabric8's mock server with a kubelet simulator; no
# scheduler, no networking between pods); minikube (it/rig/bin/minikube, a script: profile "minikube", 4 CPUs,
# 8192 MB); the base images (busybox stand-ins under the real names: no LiteLLM, R2R, Open WebUI, nginx, PostgreSQL,
# Redis or Qdrant in them). So every pod but LiteLLM's is status only, and its forwarded port answers with a JSON
# naming the pod; LiteLLM's answers from busybox httpd in LiteLLM's place, serving the model list it read at start
# (it/rig/sample-overlay). The smoke tests are skipped (the sample POM's rig profile says why).
set -euo pipefail

mode=verify
case ${1:-} in
  --dev) mode=dev ;;
  "") ;;
  *) echo "usage: $0 [--dev]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if ! it/rig/rig.sh check >/dev/null; then
  echo "sample-on-rig: the test rig is not running ($(it/rig/rig.sh check 2>&1 | tail -n1))." >&2
  echo "sample-on-rig: start it (as root): it/rig/rig.sh start" >&2
  exit 1
fi
eval "$(it/rig/rig.sh env)"
state=${LLMSTACK_SAMPLE_ON_RIG_DIR:-$LLMSTACK_RIG_DIR/sample-on-rig}
mkdir -p "$state"
step() { printf '\n==> %s\n' "$*"; }

step "1/5 Building the plugin and the simulated cluster (the reactor; nothing is installed into ~/.m2)"
./mvnw -q -B -ntp -pl plugin -am package -DskipTests
./mvnw -q -B -ntp -pl it/kube-rig org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$state/kube-rig.classpath"
rig_classpath="$root/it/kube-rig/target/classes:$(cat "$state/kube-rig.classpath")"

step "2/5 Starting the simulated Kubernetes API (kube rig; its log: $state/kube-rig.log)"
rm -f "$state/kubeconfig"
# a session of its own: Ctrl-C in the terminal reaches Maven (which then undeploys), not the cluster it undeploys from
setsid java -cp "$rig_classpath" dev.llmstack.kuberig.KubeRigMain --kubeconfig "$state/kubeconfig" \
  --docker-host "$RIG_DOCKER_HOST" >"$state/kube-rig.log" 2>&1 </dev/null &
rig_pid=$!

# The plugin from this checkout, as the ITs get it: a local repository of this run's own, with ~/.m2 as its remote.
repo="$state/repo"
cat >"$state/settings.xml" <<EOF
<settings>
  <profiles>
    <profile>
      <id>home-repository</id>
      <repositories><repository><id>home</id><url>file://$HOME/.m2/repository</url></repository></repositories>
      <pluginRepositories><pluginRepository><id>home</id><url>file://$HOME/.m2/repository</url></pluginRepository></pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>home-repository</activeProfile></activeProfiles>
</settings>
EOF
sample_mvn() { (cd sample-stack && ../mvnw -B -ntp -s "$state/settings.xml" -Dmaven.repo.local="$repo" "$@"); }
props=(
  -Dllmstack.rig                                        # the sample POM's rig profile: smoke tests skipped, saying why
  -Dllmstack.overlay="$root/it/rig/sample-overlay"      # the dev overlay, LiteLLM's pod as a real container
  -Dllmstack.minikube.executable="$RIG_MINIKUBE"        # the stand-in minikube: docker-env to the rig's TLS dockerd
  -Dllmstack.namespace=llmstack-sample
  -Dllmstack.timeout=120
  -Dllmstack.registryMirrors="docker.io=$RIG_REGISTRY,ghcr.io=$RIG_REGISTRY"
  -Dllmstack.insecureRegistries="$RIG_REGISTRY"
  -Dllmstack.forward.anyPort=true                       # 3000, 8080, 5432 ... may be taken on this machine
)

cleanup() {
  trap - EXIT INT TERM
  step "Undeploying and stopping the simulated cluster"
  if [[ -f $state/kubeconfig ]]; then
    KUBECONFIG="$state/kubeconfig" sample_mvn -q llmstack:undeploy "${props[@]}" || true
  fi
  kill "$rig_pid" 2>/dev/null && wait "$rig_pid" 2>/dev/null || true # SIGTERM: the rig removes its containers
}
trap cleanup EXIT INT TERM

java -cp "$rig_classpath" dev.llmstack.kuberig.KubeRigMain --await "$state/kubeconfig" --timeout-seconds 60
export KUBECONFIG="$state/kubeconfig"

step "3/5 Putting the plugin into $repo"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n1)
for args in "-Dfile=pom.xml -DpomFile=pom.xml -Dpackaging=pom" \
  "-Dfile=plugin/target/llmstack-maven-plugin-$version.jar -DpomFile=plugin/pom.xml"; do
  # shellcheck disable=SC2086 # two arguments each
  ./mvnw -q -B -ntp -N org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file $args -DlocalRepositoryPath="$repo"
done

if [[ $mode == dev ]]; then
  step "4/5 mvn llmstack:dev against the rig (Ctrl-C stops and undeploys)"
  # llmstack:dev checks every layer source before its <devCommand> first runs: react-client/dist must exist (verify's
  # npm ci and npm run build make it)
  [[ -d sample-stack/react-client/node_modules ]] || (cd sample-stack/react-client && npm ci --no-audit --no-fund)
  [[ -d sample-stack/react-client/dist ]] || (cd sample-stack/react-client && npm run build)
  echo "Edit sample-stack/images/litellm/config.yaml: the sync and 'kill -HUP 1' follow; GET <litellm url>/config.yaml."
  sample_mvn llmstack:dev "${props[@]}" || true
  exit 0
fi

step "4/5 The sample stack's mvn verify against the rig (-Dllmstack.keep: the stack stays for step 5)"
sample_mvn verify "${props[@]}" -Dllmstack.keep

step "5/5 Forwarding the stack's services until Ctrl-C"
cat <<'EOF'
What answers below: the React client, Open WebUI, R2R, Qdrant, PostgreSQL and Redis are simulated pods (a JSON naming
the pod on every port); LiteLLM is a real container of the built image: GET <litellm url>/config.yaml shows the model
list it read at start (busybox httpd in LiteLLM's place, under the image's supervisor).
EOF
sample_mvn llmstack:forward "${props[@]}" || true
