#!/usr/bin/env bash
# The build/deploy benchmark of llmstack-maven-plugin (issue 6). See it/bench/README.md.
#
#   it/bench/run.sh            full run: 5 repetitions, 300 MB stand-ins, 20 readiness runs (~9 min);
#                              results in it/bench/results/<date>/ (summary.md + raw data)
#   it/bench/run.sh --smoke    one repetition, 5 MB stand-ins, 3 readiness runs, all columns (< 3 min);
#                              results in the work dir (not in the tree) unless --results is given
#   options: --reps N  --base-mb MB  --readiness-runs N  --results DIR  --work DIR  --skip-install
#            --tree-files N  (scenario 7's generated layer directory; 20000, --smoke 2000)
#            --only-tree     (scenario 7 alone: the large layer directory, with the small project beside it)
#            --repo DIR      (a Maven local repository of its own: the plugin is installed there, not into ~/.m2,
#                             which then only serves as a read-only tail)
#   LLMSTACK_BENCH_STEP_TIMEOUT=S  ends any Maven run after S seconds (default 600) and fails the benchmark
#
# Needs root (it/rig/rig.sh start), the rig's Debian packages (.ci/run installs them), kubectl (kustomize),
# python3, Java 17 and network access to Maven Central on the first run (jib-maven-plugin). Restarts the rig's
# stand-ins at the benchmark's size and puts them back to the defaults when done (also on failure).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BENCH=$ROOT/it/bench
MODE=full REPS=5 BASE_MB=300 READY_RUNS=20 READY_WARMUP=2 RESULTS= INSTALL=1 TREE_FILES=20000 ONLY_TREE=0 REPO=
WORK=${LLMSTACK_BENCH_DIR:-/tmp/llmstack-bench}
ARGS="$*"
while (($#)); do
  case $1 in
    --smoke) MODE=smoke REPS=1 BASE_MB=5 READY_RUNS=3 READY_WARMUP=1 TREE_FILES=2000 ;;
    --tree-files) TREE_FILES=$2; shift ;;
    --only-tree) ONLY_TREE=1 ;;
    --repo) REPO=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --base-mb) BASE_MB=$2; shift ;;
    --readiness-runs) READY_RUNS=$2; shift ;;
    --results) RESULTS=$2; shift ;;
    --work) WORK=$2; shift ;;
    --skip-install) INSTALL=0 ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $(id -u) == 0 ]] || { echo "run.sh: needs root (the rig's stand-ins are restarted with it/rig/rig.sh start)" >&2; exit 1; }
for tool in python3 kubectl java curl /usr/bin/time; do
  command -v $tool >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done

DATE=$(date -u +%F)
if [[ -z $RESULTS ]]; then
  if [[ $MODE == smoke ]]; then RESULTS=$WORK/results; else RESULTS=$BENCH/results/$DATE; fi
fi
rm -rf "$WORK" "$RESULTS"
mkdir -p "$WORK" "$RESULTS/logs"
RESULTS=$(cd "$RESULTS" && pwd -P)
P=$WORK/project        # the bench project, copied: the one-file change never touches the tree
RD=$WORK/readiness
cp -r "$BENCH/project" "$P"
cp -r "$BENCH/readiness" "$RD"
rm -rf "$P/target" "$RD/target"

DOCKER=/usr/bin/docker; [[ -x $DOCKER ]] || DOCKER=docker
# Every Maven run is bounded: a hang (as a build once had) fails the run with its log, not CI after 90 minutes.
# The wrapper is a file, not a function: dev_latency.py starts it too (and stops it by its process group, which
# --foreground keeps: timeout would otherwise move itself and Maven into a group of their own).
STEP_TIMEOUT=${LLMSTACK_BENCH_STEP_TIMEOUT:-600}
MVNW=$WORK/mvnw-bounded
REPO_ARGS=
if [[ -n $REPO ]]; then
  mkdir -p "$REPO"; REPO=$(cd "$REPO" && pwd -P)
  REPO_ARGS="-Dmaven.repo.local=$REPO -Dmaven.repo.local.tail=$HOME/.m2/repository"
fi
cat >"$MVNW" <<EOF
#!/bin/sh
timeout --foreground -k 10 $STEP_TIMEOUT '$ROOT/mvnw' $REPO_ARGS "\$@"; rc=\$?
[ \$rc -ne 124 ] || echo "run.sh: mvnw \$* did not finish within ${STEP_TIMEOUT}s" >&2
exit \$rc
EOF
chmod +x "$MVNW"
IMAGES=(react-client litellm r2r openwebui postgres)
declare -A LAYER_DIR=([react-client]=files/react-client/dist [litellm]=files/litellm [r2r]=files/r2r
  [openwebui]=files/openwebui [postgres]=files/postgres/initdb)
BASES=(127.0.0.1:5000/library/nginx:1.27-alpine 127.0.0.1:5000/berriai/litellm:main-v1.63.14
  127.0.0.1:5000/sciphiai/r2r:3.5.14 127.0.0.1:5000/open-webui/open-webui:v0.6.5 127.0.0.1:5000/pgvector/pgvector:pg16)
CHANGED_FILE=$P/files/react-client/dist/assets/index.js
T_START=$SECONDS

say() { printf '\n== %s (%ds)\n' "$*" "$((SECONDS - T_START))"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# ---------------------------------------------------------------- cleanup (always)
RIG_CHANGED=0 KUBE_PID= LOAD_MID= JIB_IMAGE_BYTES=0 PB=
cleanup() {
  local rc=$?
  set +e
  [[ -n $KUBE_PID ]] && kill "$KUBE_PID" 2>/dev/null && wait "$KUBE_PID" 2>/dev/null
  if [[ -n ${DOCKER_HOST:-} ]]; then
    if ((ONLY_TREE)); then remove_bench_images >/dev/null 2>&1; else purge_daemon >/dev/null 2>&1; fi
  fi
  if ((RIG_CHANGED)); then
    echo "run.sh: putting the rig's stand-ins back to their default sizes" >&2
    env -u LLMSTACK_RIG_BIG_MB -u LLMSTACK_RIG_R2R_MB -u LLMSTACK_RIG_WEBUI_MB "$ROOT/it/rig/rig.sh" start >/dev/null
  fi
  ((rc == 0)) || echo "run.sh: FAILED (exit $rc); logs in $RESULTS/logs" >&2
  exit $rc
}
trap cleanup EXIT

# ---------------------------------------------------------------- the rig at the benchmark's size
if ((ONLY_TREE)); then
  # scenario 7 does not depend on the stand-ins' size: the rig stays as it runs (others may be using it), and
  # only the benchmark's own images are removed at the end
  say "rig: as it runs (--only-tree)"
else
  say "rig: stand-ins with ${BASE_MB} MB (litellm, r2r, openwebui)"
  RIG_CHANGED=1
  LLMSTACK_RIG_BIG_MB=$BASE_MB LLMSTACK_RIG_R2R_MB=$BASE_MB LLMSTACK_RIG_WEBUI_MB=$BASE_MB \
    "$ROOT/it/rig/rig.sh" start >/dev/null 2>"$RESULTS/logs/rig-start.log" || { cat "$RESULTS/logs/rig-start.log"; exit 1; }
fi
eval "$("$ROOT/it/rig/rig.sh" env)"
export DOCKER_HOST=$RIG_DOCKER_HOST
export DOCKER_CONFIG=$WORK/docker-config   # the CLI's config: empty, ours
mkdir -p "$DOCKER_CONFIG"
unset DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
LOAD_START=$(loadavg)

# Jib's global configuration: the registry mirrors (jib-maven-plugin has no per-project mirror setting)
mkdir -p "$WORK/xdg/google-cloud-tools-java/jib"
cat >"$WORK/xdg/google-cloud-tools-java/jib/config.json" <<EOF
{
  "disableUpdateCheck": true,
  "registryMirrors": [
    { "registry": "registry-1.docker.io", "mirrors": ["$RIG_REGISTRY"] },
    { "registry": "ghcr.io", "mirrors": ["$RIG_REGISTRY"] }
  ]
}
EOF

# ---------------------------------------------------------------- the three tools, the floors
MVN=("$MVNW" -o -q)
LL_CACHE="-Dllmstack.cacheDirectory=$WORK/caches/llmstack-base"
LL_ARGS=("$LL_CACHE" "-Dllmstack.dockerHost=$DOCKER_HOST")
JIB_GOALS=(-Pjib); for n in "${IMAGES[@]}"; do JIB_GOALS+=("jib:dockerBuild@$n"); done
JIB_ARGS=(-Djib.allowInsecureRegistries=true "-Djib.dockerClient.executable=$DOCKER"
  "-Djib.baseImageCache=$WORK/caches/jib-base")

llmstack_build() { cd "$P" && "${MVN[@]}" llmstack:build "${LL_ARGS[@]}"; }
# the way a minikube user builds: the daemon found through (the rig's stand-in) minikube's docker-env, TCP + TLS
llmstack_minikube() { cd "$P" && "${MVN[@]}" llmstack:build "$LL_CACHE" "-Dllmstack.minikube.executable=$RIG_MINIKUBE"; }
llmstack_deploy() { cd "$P" && "${MVN[@]}" llmstack:deploy "${LL_ARGS[@]}"; }
llmstack_deploy_force() { cd "$P" && "${MVN[@]}" llmstack:deploy "${LL_ARGS[@]}" -Dllmstack.forceApply=true; }
jib_build() { cd "$P" && XDG_CONFIG_HOME=$WORK/xdg "${MVN[@]}" "${JIB_GOALS[@]}" "${JIB_ARGS[@]}"; }
docker_build() { # [project] [image prefix]: the five builds in parallel, as docker compose build does
  local n pids=() rc=0 prefix=${2:-bench-docker}
  cd "${1:-$P}"
  for n in "${IMAGES[@]}"; do
    DOCKER_BUILDKIT=$BUILDKIT "$DOCKER" build -q -f "docker/$n.Dockerfile" -t "$prefix/$n:dev" "${LAYER_DIR[$n]}" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || rc=1; done
  return $rc
}
mvn_floor() { cd "$P" && "${MVN[@]}" validate; }
# Maven with our plugin loaded and its goal configured, then skipped: what any llmstack goal costs before it does anything
plugin_floor() { cd "$P" && "${MVN[@]}" llmstack:build "${LL_ARGS[@]}" -Dllmstack.skip=true; }
inspect_floor() { local refs=(); local n; for n in "${IMAGES[@]}"; do refs+=("bench-llmstack/$n:dev"); done; "$DOCKER" image inspect "${refs[@]}" >/dev/null; }
load_floor() { "$DOCKER" load -q -i "$WORK/floor/floor-$1.tar"; }
# dockerd pulling the five bases from the rig's registry into an empty daemon: the unpacking every cold build pays
pull_floor() {
  local b pids=() rc=0
  for b in "${BASES[@]}"; do "$DOCKER" pull -q "$b" >/dev/null & pids+=($!); done
  for b in "${pids[@]}"; do wait "$b" || rc=1; done
  return $rc
}

# Removes every image of the benchmark (all tags of all three tools, the floor's) and the stand-in bases from
# the daemon, dangling images and BuildKit's cache: the daemon holds nothing of the five images afterwards.
# Once BASE_LAYERS is known (after priming), also any other image in the rig's daemon that holds one of the
# bases' layers: an integration test's image built from the same stand-ins would otherwise spare both tools
# unpacking that layer in the cold scenario (it did in the fourth to sixth runs). Each one is logged.
BASE_LAYERS=()
remove_bench_images() { # every tag of the three tools' images, the floor's and scenario 7's
  local ids
  ids=$("$DOCKER" images -q --filter 'reference=bench-llmstack/*' --filter 'reference=bench-jib/*' \
    --filter 'reference=bench-docker/*' --filter 'reference=bench-floor/*' --filter 'reference=bench-tree-*/*' | sort -u)
  [[ -z $ids ]] || "$DOCKER" rmi -f $ids >/dev/null
}
purge_daemon() {
  local id layers
  remove_bench_images
  "$DOCKER" rmi "${BASES[@]}" >/dev/null 2>&1 || true
  if ((${#BASE_LAYERS[@]})); then
    for id in $("$DOCKER" images -q | sort -u); do
      layers=$("$DOCKER" image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$id")
      if grep -qxF -f <(printf '%s\n' "${BASE_LAYERS[@]}") <<<"$layers"; then
        echo "removed $("$DOCKER" image inspect -f '{{.RepoTags}}' "$id") ($id): it held a base layer" >>"$RESULTS/logs/purge.log"
        "$DOCKER" rmi -f "$id" >/dev/null
      fi
    done
  fi
  "$DOCKER" image prune -f >/dev/null
  "$DOCKER" builder prune -af >/dev/null 2>&1 || true
}

sent_bytes() { # [project]: bytes llmstack sent to the daemon in its last build (target/llmstack/images.json)
  local p=${1:-$P}
  [[ -f $p/target/llmstack/images.json ]] || return 0
  python3 -c 'import json,sys; print(sum(max(i.get("sentBytes", 0), 0) for i in json.load(open(sys.argv[1]))["images"]))' \
    "$p/target/llmstack/images.json"
}

echo "scenario,column,rep,seconds,sent_bytes" >"$RESULTS/times.csv"
# timed <scenario> <column> <rep> <function> [args]: runs it once, appends a row to times.csv
timed() {
  local s=$1 c=$2 r=$3 t0 t1 sent=
  shift 3
  local log=$RESULTS/logs/$s-$c-$r.log
  t0=$(date +%s%N)
  if ! ("$@") >"$log" 2>&1; then
    echo "run.sh: $s / $c / rep $r failed: $*; last lines of $log:" >&2; tail -n 30 "$log" >&2; exit 1
  fi
  t1=$(date +%s%N)
  [[ $c == llmstack* ]] && sent=$(sent_bytes "$([[ $s == tree-* && $c == llmstack ]] && echo "$PB" || echo "$P")")
  echo "$s,$c,$r,$(awk -v n=$((t1 - t0)) 'BEGIN{printf "%.4f", n/1e9}'),$sent" >>"$RESULTS/times.csv"
  printf '  %-7s %-14s rep %d: %7.3f s%s\n' "$s" "$c" "$r" "$(awk -v n=$((t1 - t0)) 'BEGIN{print n/1e9}')" \
    "${sent:+  (sent ${sent} B)}"
}

# ---------------------------------------------------------------- setup (untimed)
if ((INSTALL)); then
  say "install the plugin and the kube rig into ${REPO:-~/.m2}"
  (cd "$ROOT" && ./mvnw $REPO_ARGS -B -ntp -q install -DskipTests -pl it/kube-rig,plugin -am) >"$RESULTS/logs/install.log" 2>&1 ||
    { tail -n 30 "$RESULTS/logs/install.log"; exit 1; }
fi

say "BuildKit check"
mkdir -p "$WORK/buildkit-probe"
printf 'FROM scratch\nLABEL probe=1\n' >"$WORK/buildkit-probe/Dockerfile"
BUILDKIT=0
if DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain -t bench-docker/probe:dev "$WORK/buildkit-probe" \
  >"$RESULTS/logs/buildkit-probe.log" 2>&1 && grep -q '^#[0-9]' "$RESULTS/logs/buildkit-probe.log"; then
  BUILDKIT=1
fi
"$DOCKER" rmi bench-docker/probe:dev >/dev/null 2>&1 || true
if ((BUILDKIT)); then BUILDER="BuildKit (DOCKER_BUILDKIT=1, built into dockerd $("$DOCKER" version -f '{{.Server.Version}}'))"
else BUILDER="classic builder (BuildKit did not run here: see logs/buildkit-probe.log)"; fi
echo "  docker build uses: $BUILDER"

say "prime: online resolution of every plugin, base caches, readiness module, kube rig"
((ONLY_TREE)) || purge_daemon
(cd "$P" && "$MVNW" -B -ntp llmstack:build "${LL_ARGS[@]}") >"$RESULTS/logs/prime-llmstack.log" 2>&1 ||
  { tail -n 30 "$RESULTS/logs/prime-llmstack.log"; exit 1; }
if ((ONLY_TREE == 0)); then
mkdir -p "$P/target/classes"   # jib-maven-plugin wants compiled classes; there are none
(cd "$P" && XDG_CONFIG_HOME=$WORK/xdg "$MVNW" -B -ntp "${JIB_GOALS[@]}" "${JIB_ARGS[@]}") >"$RESULTS/logs/prime-jib.log" 2>&1 ||
  { tail -n 30 "$RESULTS/logs/prime-jib.log"; exit 1; }
(docker_build) >"$RESULTS/logs/prime-docker.log" 2>&1 || { tail -n 30 "$RESULTS/logs/prime-docker.log"; exit 1; }
# the bases' layers (each llmstack image is its base plus one layer of its own): what the cold
# scenario's daemon must not hold
for n in "${IMAGES[@]}"; do
  mapfile -t -O "${#BASE_LAYERS[@]}" BASE_LAYERS < <("$DOCKER" image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' \
    "bench-llmstack/$n:dev" | grep . | sed '$d')
done
(cd "$RD" && "$MVNW" -B -ntp -q compile) >"$RESULTS/logs/readiness-build.log" 2>&1 ||
  { tail -n 30 "$RESULTS/logs/readiness-build.log"; exit 1; }
RIG_CP=$RD/target/classes:$(cat "$RD/target/classpath.txt")
mkdir -p "$WORK/kube"
java -cp "$RIG_CP" dev.llmstack.kuberig.KubeRigMain --kubeconfig "$WORK/kube/config" >"$RESULTS/logs/kube-rig.log" 2>&1 &
KUBE_PID=$!
java -cp "$RIG_CP" dev.llmstack.kuberig.KubeRigMain --await "$WORK/kube/config" --timeout-seconds 60
export KUBECONFIG=$WORK/kube/config
KUBE_URL=$(sed -n 's/^ *server: *//p' "$KUBECONFIG" | head -n 1)
KUBE_TOKEN=$(sed -n 's/^ *token: *//p' "$KUBECONFIG" | head -n 1) # the rig answers 403 to anonymous requests
fi

if ((ONLY_TREE == 0)); then
# ---------------------------------------------------------------- 1. cold
say "1. cold: daemon without the images and the bases, app-layer caches removed, base-layer caches kept (x$REPS)"
for ((r = 1; r <= REPS; r++)); do
  purge_daemon; rm -rf "$P/target"
  timed cold llmstack $r llmstack_build
  purge_daemon; rm -rf "$P/target"
  timed cold llmstack-minikube $r llmstack_minikube
  purge_daemon; rm -rf "$P/target"; mkdir -p "$P/target/classes"
  timed cold jib $r jib_build
  purge_daemon
  timed cold pull-floor $r pull_floor
  purge_daemon; rm -rf "$P/target"
  timed cold docker $r docker_build
done
# the last cold rep left only docker's images: build the other two again (untimed) for the warm scenarios
(llmstack_build) >"$RESULTS/logs/rebuild-llmstack.log" 2>&1
mkdir -p "$P/target/classes"
(jib_build) >"$RESULTS/logs/rebuild-jib.log" 2>&1
LOAD_MID=$(loadavg)

# ---------------------------------------------------------------- 2. warm, nothing changed
say "2. warm, nothing changed (x$REPS)"
for ((r = 1; r <= REPS; r++)); do
  timed warm llmstack $r llmstack_build
  timed warm llmstack-minikube $r llmstack_minikube
  timed warm jib $r jib_build
  timed warm docker $r docker_build
  timed warm mvn-floor $r mvn_floor
  timed warm plugin-floor $r plugin_floor
  timed warm inspect-floor $r inspect_floor
done
JIB_IMAGE_BYTES=0
for n in "${IMAGES[@]}"; do
  JIB_IMAGE_BYTES=$((JIB_IMAGE_BYTES + $("$DOCKER" image inspect -f '{{.Size}}' "bench-jib/$n:dev")))
done

# ---------------------------------------------------------------- 3. one React file changed
say "3. one React file changed (x$REPS)"
mkdir -p "$WORK/floor"
"$DOCKER" save bench-llmstack/react-client:dev -o "$WORK/floor/react-client.tar"
for ((r = 1; r <= REPS; r++)); do
  python3 "$BENCH/lib/partial_load.py" "$WORK/floor/react-client.tar" "$WORK/floor/floor-$r.tar" \
    "bench-floor/react-client:$r" "rep-$r-$(date +%s%N)" >>"$RESULTS/logs/partial-load-tars.log"
done
change() { echo "// changed for $1 rep $2 at $(date +%s%N)" >>"$CHANGED_FILE"; }
for ((r = 1; r <= REPS; r++)); do
  change llmstack $r; timed change llmstack $r llmstack_build
  change llmstack-minikube $r; timed change llmstack-minikube $r llmstack_minikube
  change jib $r; timed change jib $r jib_build
  change docker $r; timed change docker $r docker_build
  timed change mvn-floor $r mvn_floor
  timed change load-floor $r load_floor $r
  "$DOCKER" rmi "bench-floor/react-client:$r" >/dev/null
done

# ---------------------------------------------------------------- 4. deploy, nothing changed
say "4./5. llmstack:deploy with nothing changed, on the kube rig, and the same forced (full apply) (x$REPS)"
snapshot() { # kind/name resourceVersion generation of every object in the bench namespace
  local path
  for path in apis/apps/v1/namespaces/bench/deployments apis/apps/v1/namespaces/bench/statefulsets \
    api/v1/namespaces/bench/services api/v1/namespaces/bench/configmaps api/v1/namespaces/bench/secrets; do
    curl -sf -H "Authorization: Bearer $KUBE_TOKEN" "$KUBE_URL/$path"
  done | python3 -c '
import json, sys
dec = json.JSONDecoder(); s = sys.stdin.read(); i = 0
while i < len(s):
    if s[i].isspace(): i += 1; continue
    doc, i = dec.raw_decode(s, i)
    for o in doc.get("items", []):
        m = o["metadata"]
        print("%s/%s rv=%s gen=%s" % (o.get("kind", doc["kind"][:-4]), m["name"], m.get("resourceVersion"), m.get("generation")))'
}
# The stack's record (ApplySet parent Secret llmstack-bench) is deploy's own: a forced deploy re-applies it and
# records its fingerprint again once ready (two writes, by design), so the members are compared across all the
# deploys and the record across the last no-change one alone.
RECORD=Secret/llmstack-bench
members() { snapshot | grep -v "^$RECORD " | sort; }
record() { snapshot | grep "^$RECORD " || true; }
(cd "$P" && "$MVNW" -o -B llmstack:deploy "${LL_ARGS[@]}") >"$RESULTS/logs/deploy-first.log" 2>&1 ||
  { tail -n 30 "$RESULTS/logs/deploy-first.log"; exit 1; }
members >"$WORK/before.txt"
for ((r = 1; r <= REPS; r++)); do
  timed deploy llmstack $r llmstack_deploy
  timed deploy mvn-floor $r mvn_floor
  timed deploy plugin-floor $r plugin_floor
  timed deploy-force llmstack $r llmstack_deploy_force
  timed deploy-force mvn-floor $r mvn_floor
done
(cd "$P" && "$MVNW" -o -B llmstack:deploy "${LL_ARGS[@]}" -Dllmstack.forceApply=true) >"$RESULTS/logs/deploy-force-verbose.log" 2>&1
record >"$WORK/record-before.txt"
(cd "$P" && "$MVNW" -o -B llmstack:deploy "${LL_ARGS[@]}") >"$RESULTS/logs/deploy-verbose.log" 2>&1
record >"$WORK/record-after.txt"
members >"$WORK/after.txt"
APPLIED=$(grep -o 'Applied [0-9]* objects:.*' "$RESULTS/logs/deploy-verbose.log" | head -n 1 || true)
FORCED=$(grep -o 'Applied [0-9]* objects:.*' "$RESULTS/logs/deploy-force-verbose.log" | head -n 1 || true)
if [[ -s $WORK/before.txt && -s $WORK/record-before.txt ]] && cmp -s "$WORK/before.txt" "$WORK/after.txt" &&
  cmp -s "$WORK/record-before.txt" "$WORK/record-after.txt"; then
  echo "no object modified: $(wc -l <"$WORK/before.txt") objects, resourceVersion and generation identical before and after $((REPS + 1)) no-change deploys and $((REPS + 1)) forced ones; the stack's record ($RECORD) identical before and after the last no-change deploy (plugin: \"$APPLIED\"; forced: \"$FORCED\")" >"$RESULTS/deploy-check.txt"
else
  { echo "MODIFIED: objects differ before/after the no-change deploys (plugin: \"$APPLIED\")"
    diff "$WORK/before.txt" "$WORK/after.txt" || true; diff "$WORK/record-before.txt" "$WORK/record-after.txt" || true; } >"$RESULTS/deploy-check.txt"
  cat "$RESULTS/deploy-check.txt"; echo "run.sh: a no-change deploy modified the stack (a defect)" >&2; exit 1
fi
cat "$WORK/before.txt" >>"$RESULTS/deploy-check.txt"
echo "  $(head -n 1 "$RESULTS/deploy-check.txt")"

# ---------------------------------------------------------------- 6. inside a running llmstack:dev
say "6. llmstack:dev on the kube rig: a synced React file and a rebuilt R2R image, save -> container / ready (x$REPS)"
python3 "$BENCH/lib/dev_latency.py" --project "$P" --mvnw "$MVNW" --docker "$DOCKER" --reps "$REPS" \
  --times "$RESULTS/times.csv" --log "$RESULTS/logs/dev.log" -- "${LL_ARGS[@]}" \
  -Dllmstack.overlay=k8s/overlays/dev-live -Dllmstack.forward.anyPort=true

# ---------------------------------------------------------------- readiness detection latency
say "readiness detection latency ($READY_RUNS runs + $READY_WARMUP warm-up)"
java -cp "$RIG_CP" dev.llmstack.bench.ReadinessBench --runs "$READY_RUNS" --warmup "$READY_WARMUP" \
  --out "$RESULTS/readiness.csv" >"$RESULTS/logs/readiness.log" 2>&1 || { tail -n 30 "$RESULTS/logs/readiness.log"; exit 1; }
tail -n 1 "$RESULTS/logs/readiness.log"

fi

# ---------------------------------------------------------------- 7. a large layer directory
# The project again, its r2r layer holding a generated tree like a Python app's site-packages (lib/gen_tree.py:
# seeded, $TREE_FILES files), built by all three tools under image names of their own; the small project's builds
# (scenarios 2 and 3) are timed in the same repetitions for the ratios. Peak RSS of each Maven run by GNU time.
say "7. a layer directory of $TREE_FILES files: unchanged, one file changed (x$REPS)"
PB=$WORK/project-tree
rm -rf "$PB"; cp -r "$BENCH/project" "$PB"; rm -rf "$PB/target"
sed -i 's#bench-llmstack/#bench-tree-llmstack/#; s#bench-jib/#bench-tree-jib/#' "$PB/pom.xml"
python3 "$BENCH/lib/gen_tree.py" "$PB/files/r2r/site-packages" --files "$TREE_FILES" >"$RESULTS/logs/tree-gen.log"
# the file changed: the middle one in path order (not the last: an early change costs more than a late one)
TREE_FILE=$PB/files/r2r/site-packages/$(cd "$PB/files/r2r/site-packages" && find . -type f -printf '%P\n' | LC_ALL=C sort | sed -n "$((TREE_FILES / 2))p")
echo "scenario,column,rep,max_rss_kb" >"$RESULTS/rss.csv"
rss() { # rss <scenario> <column> <rep> <command...>: the command under GNU time, its peak RSS into rss.csv
  local s=$1 c=$2 r=$3 out=$RESULTS/logs/$1-$2-$3.rss
  shift 3
  /usr/bin/time -f %M -o "$out" "$@"; local rc=$?
  echo "$s,$c,$r,$(tail -n 1 "$out")" >>"$RESULTS/rss.csv"
  return $rc
}
tree_llmstack() { cd "$PB" && rss "$@" "${MVN[@]}" llmstack:build "${LL_ARGS[@]}"; }
small_llmstack() { cd "$P" && rss "$@" "${MVN[@]}" llmstack:build "${LL_ARGS[@]}"; }
tree_jib() { cd "$PB" && XDG_CONFIG_HOME=$WORK/xdg rss "$@" "${MVN[@]}" "${JIB_GOALS[@]}" "${JIB_ARGS[@]}"; }
tree_docker() { docker_build "$PB" bench-tree-docker; }
(cd "$PB" && "$MVNW" -B -ntp llmstack:build "${LL_ARGS[@]}") >"$RESULTS/logs/prime-tree-llmstack.log" 2>&1 ||
  { tail -n 30 "$RESULTS/logs/prime-tree-llmstack.log"; exit 1; }
mkdir -p "$PB/target/classes"
(cd "$PB" && XDG_CONFIG_HOME=$WORK/xdg "$MVNW" -B -ntp "${JIB_GOALS[@]}" "${JIB_ARGS[@]}") >"$RESULTS/logs/prime-tree-jib.log" 2>&1 ||
  { tail -n 30 "$RESULTS/logs/prime-tree-jib.log"; exit 1; } # online: with --only-tree nothing resolved jib before
(tree_docker) >"$RESULTS/logs/prime-tree-docker.log" 2>&1 || { tail -n 30 "$RESULTS/logs/prime-tree-docker.log"; exit 1; }
(llmstack_build) >"$RESULTS/logs/prime-tree-small.log" 2>&1 # the small project's images as its last build left them
for ((r = 1; r <= REPS; r++)); do
  timed tree-warm llmstack-small $r small_llmstack tree-warm llmstack-small $r
  timed tree-warm llmstack $r tree_llmstack tree-warm llmstack $r
  timed tree-warm jib $r tree_jib tree-warm jib $r
  timed tree-warm docker $r tree_docker
done
for ((r = 1; r <= REPS; r++)); do
  echo "// changed for llmstack-small rep $r at $(date +%s%N)" >>"$CHANGED_FILE"
  timed tree-change llmstack-small $r small_llmstack tree-change llmstack-small $r
  for c in llmstack jib docker; do
    echo "// changed for $c rep $r at $(date +%s%N)" >>"$TREE_FILE"
    timed tree-change $c $r "tree_$c" tree-change $c $r
  done
done
python3 "$BENCH/lib/tree_summary.py" "$RESULTS" "$TREE_FILES" "${TREE_FILE#"$PB/"}" | tee "$RESULTS/tree-summary.md"

# ---------------------------------------------------------------- summary
LOAD_END=$(loadavg)
export M_DATE=$DATE M_MODE=$MODE M_REPS=$REPS M_BASE=$BASE_MB M_ARGS="it/bench/run.sh${ARGS:+ $ARGS}" \
  M_BUILDER=$BUILDER M_LOAD="$LOAD_START|$LOAD_MID|$LOAD_END" M_JIB_BYTES=$JIB_IMAGE_BYTES \
  M_CPU="$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)" M_CORES=$(nproc) \
  M_MEM="$(free -g | awk '/^Mem:/{print $2 " GB"}')" M_OS="$(. /etc/os-release && echo "$PRETTY_NAME") $(uname -r)" \
  M_DOCKER="$("$DOCKER" version -f '{{.Server.Version}}')" M_DRIVER="$("$DOCKER" info -f '{{.Driver}}')" \
  M_JAVA="$(java -version 2>&1 | head -n 1)" M_MAVEN="$("$MVNW" -v 2>/dev/null | head -n 1 | sed 's/ (.*//')" \
  M_JIBV="$(sed -n 's:.*<jib.version>\(.*\)</jib.version>.*:\1:p' "$P/pom.xml")" \
  M_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- plugin it/kube-rig || echo '+uncommitted changes in plugin/ or it/kube-rig/')" \
  M_SECONDS=$((SECONDS - T_START))
python3 - "$RESULTS/meta.json" <<'EOF'
import json, os, sys
e = os.environ
load = e["M_LOAD"].split("|")
json.dump({"date": e["M_DATE"], "mode": e["M_MODE"], "reps": int(e["M_REPS"]), "base_mb": int(e["M_BASE"]),
           "command": e["M_ARGS"], "docker_builder": e["M_BUILDER"], "load_start": load[0], "load_mid": load[1],
           "load_end": load[2], "jib_image_bytes": int(e["M_JIB_BYTES"]), "cpu": e["M_CPU"], "cores": e["M_CORES"],
           "mem": e["M_MEM"], "os": e["M_OS"], "docker_version": e["M_DOCKER"], "storage_driver": e["M_DRIVER"],
           "java": e["M_JAVA"], "maven": e["M_MAVEN"], "jib_version": e["M_JIBV"], "llmstack_version": "0.1.0-SNAPSHOT",
           "commit": e["M_COMMIT"], "seconds": int(e["M_SECONDS"])}, open(sys.argv[1], "w"), indent=2)
EOF
say "summary"
((ONLY_TREE)) || python3 "$BENCH/lib/summarize.py" "$RESULTS"
echo "results: $RESULTS (benchmark took $((SECONDS - T_START)) s before restoring the rig)"
