#!/usr/bin/env bash
# Test rig for the integration tests: a private dockerd (unix socket + TLS with client
# certs), a plain and an authenticated docker registry, and stand-in base images.
# Usage: it/rig/rig.sh start|stop [--purge]|status|env|check     (start/stop need root)
set -euo pipefail

RIG=${LLMSTACK_RIG_DIR:-/tmp/llmstack-rig}
RIG_BIN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/bin
CERTS=$RIG/certs
DOCKER_SOCK=$RIG/docker.sock
TLS_ADDR=127.0.0.1:23760
REGISTRY=127.0.0.1:5000
AUTH_REGISTRY=127.0.0.1:5001
AUTH_USER=llmstack
AUTH_PASSWORD=rig-s3cret
CONTAINERD_PIDFILE=$RIG/docker-exec/containerd/containerd.pid   # containerd supervised by dockerd
STANDIN_LABEL=dev.llmstack.rig.standin
START_HINT='Start the test rig: it/rig/rig.sh start (as root; .ci/run does this)'

# Docker CLI: prefer the one shipped with docker.io (same version as the daemon).
if [[ -x /usr/bin/docker ]]; then DOCKER_CLI=/usr/bin/docker; else DOCKER_CLI=docker; fi
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
export DOCKER_CONFIG=$RIG/docker-config   # keep root's ~/.docker out of it

log() { printf 'rig: %s\n' "$*" >&2; }
die() { printf 'rig: ERROR: %s\n' "$*" >&2; exit 1; }
dk() { "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" "$@"; }

# ---------------------------------------------------------------- health probes
docker_unix_ok() { [[ -S $DOCKER_SOCK ]] && curl -sf -m 5 --unix-socket "$DOCKER_SOCK" http://localhost/_ping >/dev/null 2>&1; }
docker_tls_ok() {
  [[ -f $CERTS/client/cert.pem ]] && curl -sf -m 5 --cacert "$CERTS/client/ca.pem" \
    --cert "$CERTS/client/cert.pem" --key "$CERTS/client/key.pem" "https://$TLS_ADDR/_ping" >/dev/null 2>&1
}
http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" 2>/dev/null || true; }
registry_plain_ok() { [[ $(http_code "http://$REGISTRY/v2/") == 200 ]]; }
registry_auth_ok() { [[ -f $CERTS/ca.pem && $(http_code --cacert "$CERTS/ca.pem" "https://$AUTH_REGISTRY/v2/") == 401 ]]; }

# pid from a pid file, only if that process is alive and its command line contains $2
pid_of() {
  local pidfile=$1 expect=$2 pid
  [[ -f $pidfile ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$expect" || return 1
  echo "$pid"
}

# ---------------------------------------------------------------- env
env_lines() { # $1: prefix ("export " or "")
  local p=$1
  printf '%sLLMSTACK_RIG_DIR=%s\n' "$p" "$RIG"
  printf '%sRIG_DOCKER_HOST=%s\n' "$p" "unix://$DOCKER_SOCK"
  printf '%sRIG_TLS_DOCKER_HOST=%s\n' "$p" "tcp://$TLS_ADDR"
  printf '%sRIG_CERT_PATH=%s\n' "$p" "$CERTS/client"
  printf '%sRIG_REGISTRY=%s\n' "$p" "$REGISTRY"
  printf '%sRIG_AUTH_REGISTRY=%s\n' "$p" "$AUTH_REGISTRY"
  printf '%sRIG_AUTH_USER=%s\n' "$p" "$AUTH_USER"
  printf '%sRIG_AUTH_PASSWORD=%s\n' "$p" "$AUTH_PASSWORD"
  printf '%sRIG_MINIKUBE=%s\n' "$p" "$RIG_BIN_DIR/minikube"
}

# ---------------------------------------------------------------- certificates
gen_certs() {
  [[ -f $CERTS/client/key.pem && -f $CERTS/server-cert.pem ]] && return 0
  log "generating certificates in $CERTS"
  rm -rf "$CERTS"; mkdir -p "$CERTS/client"
  (
    cd "$CERTS"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout ca-key.pem -out ca.pem \
      -subj '/CN=llmstack test rig CA' \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
    # server cert (dockerd TLS port, HTTPS registry)
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout server-key.pem -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null
    printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
      'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1,DNS:localhost' >server.ext
    openssl x509 -req -sha256 -days 3650 -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
      -extfile server.ext -out server-cert.pem 2>/dev/null
    # client cert (docker CLI / docker-java against the TLS port)
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout client/key.pem -out client.csr -subj '/CN=llmstack-rig-client' 2>/dev/null
    printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
      'extendedKeyUsage=clientAuth' >client.ext
    openssl x509 -req -sha256 -days 3650 -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
      -extfile client.ext -out client/cert.pem 2>/dev/null
    cp ca.pem client/ca.pem
    rm -f server.csr client.csr
    chmod 644 ca.pem server-cert.pem client/ca.pem client/cert.pem
    chmod 600 ca-key.pem server-key.pem client/key.pem
  )
}

# ---------------------------------------------------------------- dockerd
start_dockerd() {
  if docker_unix_ok && docker_tls_ok; then return 0; fi
  if pid_of "$RIG/dockerd.pid" dockerd >/dev/null; then
    log "dockerd is running but not healthy; restarting it"; stop_dockerd
  fi
  local driver=()
  [[ -f $RIG/storage-driver ]] && driver=(--storage-driver "$(cat "$RIG/storage-driver")")
  mkdir -p "$RIG/docker-data" "$RIG/docker-exec" "$DOCKER_CONFIG"
  [[ -f $RIG/daemon.json ]] || echo '{}' >"$RIG/daemon.json"   # never read /etc/docker/daemon.json
  log "starting dockerd ${driver[*]}"
  setsid dockerd --config-file "$RIG/daemon.json" \
    --data-root "$RIG/docker-data" --exec-root "$RIG/docker-exec" --pidfile "$RIG/dockerd.pid" \
    -H "unix://$DOCKER_SOCK" -H "tcp://$TLS_ADDR" \
    --tlsverify --tlscacert "$CERTS/ca.pem" --tlscert "$CERTS/server-cert.pem" --tlskey "$CERTS/server-key.pem" \
    --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
    --insecure-registry "$REGISTRY" "${driver[@]}" \
    </dev/null >>"$RIG/dockerd.log" 2>&1 &
  local i
  for ((i = 0; i < 120; i++)); do
    if dk version >/dev/null 2>&1 && docker_tls_ok; then
      log "dockerd ready (storage driver: $(dk info --format '{{.Driver}}'))"; return 0
    fi
    kill -0 $! 2>/dev/null || break
    sleep 0.5
  done
  log "dockerd did not become ready; last lines of $RIG/dockerd.log:"
  tail -n 25 "$RIG/dockerd.log" >&2
  return 1
}

# stop_pids "pidfile|expect-in-cmdline|name" ...: TERM all in parallel, wait, KILL leftovers
stop_pids() {
  local spec pidfile expect name pid pids=() i
  for spec in "$@"; do
    IFS='|' read -r pidfile expect name <<<"$spec"
    if pid=$(pid_of "$pidfile" "$expect"); then
      log "stopping $name (pid $pid)"; kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid")
    fi
    rm -f "$pidfile"
  done
  for ((i = 0; i < 150; i++)); do
    local alive=()
    for pid in ${pids[@]+"${pids[@]}"}; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    pids=(${alive[@]+"${alive[@]}"})
    ((${#pids[@]})) || return 0
    sleep 0.2
  done
  log "killing pids that did not exit: ${pids[*]}"; kill -KILL "${pids[@]}" 2>/dev/null || true; sleep 0.5
}
stop_pid() { stop_pids "$1|$2|$3"; }

stop_dockerd() {
  stop_pid "$RIG/dockerd.pid" dockerd dockerd
  stop_pid "$CONTAINERD_PIDFILE" containerd containerd   # normally already stopped by dockerd
  # container shims that belong to our containerd (only if containers were left running)
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q "^containerd-shim.*$RIG/docker-exec/containerd/containerd.sock" \
      && kill -TERM "${p#/proc/}" 2>/dev/null || true
  done
  # leftover mounts (overlay layers, netns) under our state dir
  local m
  for m in $(awk -v r="$RIG/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
}

# ---------------------------------------------------------------- registries
write_registry_configs() {
  mkdir -p "$RIG/registry-plain" "$RIG/registry-auth"
  [[ -f $RIG/htpasswd ]] || htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$RIG/htpasswd"
  # no http.debug section => no debug/prometheus listener
  cat >"$RIG/registry-plain.yml" <<EOF
version: 0.1
log:
  level: info
  fields:
    service: registry-plain
storage:
  filesystem:
    rootdirectory: $RIG/registry-plain
  delete:
    enabled: true
http:
  addr: $REGISTRY
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  cat >"$RIG/registry-auth.yml" <<EOF
version: 0.1
log:
  level: info
  fields:
    service: registry-auth
storage:
  filesystem:
    rootdirectory: $RIG/registry-auth
  delete:
    enabled: true
http:
  addr: $AUTH_REGISTRY
  headers:
    X-Content-Type-Options: [nosniff]
  tls:
    certificate: $CERTS/server-cert.pem
    key: $CERTS/server-key.pem
auth:
  htpasswd:
    realm: llmstack-rig
    path: $RIG/htpasswd
EOF
}

start_registry() { # name probe-function
  local name=$1 probe=$2 i
  $probe && return 0
  pid_of "$RIG/$name.pid" "$RIG/$name.yml" >/dev/null && stop_pid "$RIG/$name.pid" "$RIG/$name.yml" "$name"
  log "starting $name"
  # drop REGISTRY_* variables: they would override the config file
  env $(compgen -e | grep '^REGISTRY_' | sed 's/^/-u /') \
    setsid docker-registry serve "$RIG/$name.yml" </dev/null >>"$RIG/$name.log" 2>&1 &
  echo $! >"$RIG/$name.pid"
  for ((i = 0; i < 60; i++)); do
    $probe && return 0
    kill -0 "$(cat "$RIG/$name.pid")" 2>/dev/null || break
    sleep 0.25
  done
  log "$name did not become ready; last lines of $RIG/$name.log:"
  tail -n 15 "$RIG/$name.log" >&2
  return 1
}

# ---------------------------------------------------------------- stand-in images
# target-repo:tag | real image name | extra random layer size in MB (0 = none)
standins() {
  cat <<EOF
library/busybox:standin|busybox|0
library/nginx:1.27-alpine|nginx:1.27-alpine|0
berriai/litellm:main-v1.63.14|ghcr.io/berriai/litellm:main-v1.63.14|${LLMSTACK_RIG_BIG_MB:-200}
sciphiai/r2r:3.5.14|sciphiai/r2r:3.5.14|${LLMSTACK_RIG_R2R_MB:-5}
open-webui/open-webui:v0.6.5|ghcr.io/open-webui/open-webui:v0.6.5|${LLMSTACK_RIG_WEBUI_MB:-5}
pgvector/pgvector:pg16|pgvector/pgvector:pg16|0
EOF
}

marker_of() { echo "$RIG/standins/${1//[\/:]/_}.mb"; }

in_registry() { # repo:tag
  local repo=${1%:*} tag=${1##*:}
  [[ $(http_code -I -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/$repo/manifests/$tag") == 200 ]]
}

standin_ok() { # repo:tag mb
  local m; m=$(marker_of "$1")
  [[ -f $m && $(cat "$m") == "$2" ]] && in_registry "$1"
}

standins_ok() {
  local target real mb
  while IFS='|' read -r target real mb; do standin_ok "$target" "$mb" || return 1; done < <(standins)
}

build_base() { # -> imports llmstack-rig/busybox-base:latest
  local root=$1/rootfs b
  mkdir -p "$root"/{bin,etc,tmp,root,usr/bin,usr/local/bin}
  cp /bin/busybox "$root/bin/busybox"
  for b in sh ls cat echo httpd sleep env wget nc tar mkdir rm cp mv sed grep id true false; do
    ln -s busybox "$root/bin/$b"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . |
    dk import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' --change 'CMD ["sh"]' - llmstack-rig/busybox-base:latest >/dev/null
}

ensure_standins() {
  standins_ok && return 0
  local work target real mb base_done=0
  work=$(mktemp -d "$RIG/build.XXXXXX")
  mkdir -p "$RIG/standins"
  while IFS='|' read -r target real mb; do
    standin_ok "$target" "$mb" && continue
    [[ $base_done == 1 ]] || { build_base "$work"; base_done=1; }
    log "building stand-in $REGISTRY/$target for $real (extra layer: ${mb} MB)"
    local ctx=$work/ctx-${target//[\/:]/_}
    mkdir -p "$ctx"
    { echo 'FROM llmstack-rig/busybox-base:latest'
      echo "LABEL $STANDIN_LABEL=\"$real\""
      if [[ $mb != 0 ]]; then
        head -c "$((mb * 1024 * 1024))" /dev/urandom >"$ctx/blob.bin"
        echo 'COPY blob.bin /opt/standin/blob.bin'
      fi
    } >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 dk build -q -t "$REGISTRY/$target" "$ctx" >/dev/null
    dk push "$REGISTRY/$target" >/dev/null
    dk rmi "$REGISTRY/$target" >/dev/null
    echo "$mb" >"$(marker_of "$target")"
    rm -rf "$ctx"
  done < <(standins)
  [[ $base_done == 0 ]] || dk rmi llmstack-rig/busybox-base:latest >/dev/null
  dk image prune -f >/dev/null 2>&1 || true
  rm -rf "$work"
}

# verify docker load works with the chosen storage driver (fall back to vfs if not)
verify_storage() {
  [[ -f $RIG/storage-driver ]] && return 0
  local work; work=$(mktemp -d "$RIG/probe.XXXXXX")
  build_base "$work"
  if dk save llmstack-rig/busybox-base:latest -o "$work/probe.tar" && dk rmi llmstack-rig/busybox-base:latest >/dev/null &&
     dk load -q -i "$work/probe.tar" >/dev/null && dk rmi llmstack-rig/busybox-base:latest >/dev/null; then
    dk info --format '{{.Driver}}' >"$RIG/storage-driver"
  else
    log "docker save/load failed with storage driver $(dk info --format '{{.Driver}}'); falling back to vfs"
    echo vfs >"$RIG/storage-driver"
    stop_dockerd; rm -rf "$work"
    rm -rf "$RIG/docker-data"; start_dockerd || exit 1
    return 0
  fi
  rm -rf "$work"
}

# ---------------------------------------------------------------- commands
problems() { # prints what is not running, comma separated
  local p=()
  docker_unix_ok || p+=("dockerd (unix://$DOCKER_SOCK)")
  docker_tls_ok || p+=("dockerd TLS (tcp://$TLS_ADDR)")
  registry_plain_ok || p+=("registry $REGISTRY")
  registry_auth_ok || p+=("auth registry $AUTH_REGISTRY")
  local IFS=','; echo "${p[*]}"
}

cmd_start() {
  [[ $(id -u) == 0 ]] || die "start must run as root"
  local t0=$SECONDS
  mkdir -p "$RIG"
  if [[ -z $(problems) ]] && standins_ok && [[ -f $RIG/rig.properties ]]; then
    log "already running"; env_lines 'export '; return 0
  fi
  gen_certs
  start_dockerd || die "dockerd failed to start"
  verify_storage
  write_registry_configs
  start_registry registry-plain registry_plain_ok || die "registry $REGISTRY failed to start"
  start_registry registry-auth registry_auth_ok || die "registry $AUTH_REGISTRY failed to start"
  ensure_standins
  env_lines '' >"$RIG/rig.properties"
  log "up in $((SECONDS - t0))s"
  env_lines 'export '
}

cmd_stop() {
  stop_pids "$RIG/registry-auth.pid|$RIG/registry-auth.yml|registry-auth" \
    "$RIG/registry-plain.pid|$RIG/registry-plain.yml|registry-plain" "$RIG/dockerd.pid|dockerd|dockerd"
  stop_dockerd
  if [[ ${1:-} == --purge ]]; then log "removing $RIG"; rm -rf "$RIG"; fi
}

cmd_status() {
  local pid
  printf '%-16s %s\n' "state dir" "$RIG"
  pid=$(pid_of "$RIG/dockerd.pid" dockerd || echo -)
  printf '%-16s pid %-8s unix:%s tls:%s\n' dockerd "$pid" "$(docker_unix_ok && echo up || echo down)" "$(docker_tls_ok && echo up || echo down)"
  pid=$(pid_of "$CONTAINERD_PIDFILE" containerd || echo -)
  printf '%-16s pid %s\n' containerd "$pid"
  pid=$(pid_of "$RIG/registry-plain.pid" "$RIG/registry-plain.yml" || echo -)
  printf '%-16s pid %-8s %s\n' registry-plain "$pid" "$(registry_plain_ok && echo up || echo down)"
  pid=$(pid_of "$RIG/registry-auth.pid" "$RIG/registry-auth.yml" || echo -)
  printf '%-16s pid %-8s %s\n' registry-auth "$pid" "$(registry_auth_ok && echo up || echo down)"
  local target real mb
  while IFS='|' read -r target real mb; do
    printf '%-16s %s (%s MB) %s\n' stand-in "$REGISTRY/$target" "$mb" "$(standin_ok "$target" "$mb" && echo pushed || echo missing)"
  done < <(standins)
  [[ -z $(problems) ]]
}

cmd_check() {
  local p; p=$(problems)
  [[ -z $p ]] && return 0
  echo "Test rig not running: ${p//,/, } not answering. $START_HINT"
  return 1
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  status) cmd_status ;;
  env) env_lines 'export ' ;;
  check) cmd_check ;;
  *) echo "usage: $0 start|stop [--purge]|status|env|check" >&2; exit 2 ;;
esac
