#!/bin/sh
# PID 1 of the litellm image: runs LiteLLM ("$@", the image's command) and starts it again on SIGHUP.
#
# Why: LiteLLM reads /app/config.yaml only at start. llmstack:dev copies a saved config.yaml into the running
# container and then runs the image's <afterSync> command, `sh -c 'kill -HUP 1'`, so the new model list takes effect
# in the same container. A new container (kubectl rollout restart, a crash) would start from the image's file again,
# and a new pod costs a rebuild, a roll and a readiness delay; restarting the process here took 0.35-0.62 s on the
# test rig (sample-stack/README.md).
#
# SIGTERM and SIGINT (the kubelet stopping the pod) stop LiteLLM and end the container with its exit status; LiteLLM
# ending on its own ends the container too, so the kubelet's restart policy applies as without this script.
# POSIX sh: runs on busybox ash and dash.

if [ "$#" -eq 0 ]; then
  echo "llmstack-supervisor: no command to run (usage: llmstack-supervisor.sh <command> [args...])" >&2
  exit 2
fi

child=
restart=
stopping=

signal_child() {
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
  fi
}
trap 'restart=1; signal_child' HUP
trap 'stopping=1; signal_child' TERM INT

while :; do
  "$@" &
  child=$!
  # A trapped signal ends `wait` early (status > 128): wait again until the child has really gone.
  while :; do
    wait "$child"
    status=$?
    kill -0 "$child" 2>/dev/null || break
  done
  child=
  if [ -n "$stopping" ]; then
    exit "$status"
  fi
  if [ -z "$restart" ]; then
    exit "$status"
  fi
  restart=
  echo "llmstack-supervisor: SIGHUP: starting $1 again" >&2
done
