#!/bin/sh
# Saves the namespace's objects as the API server lists them (kubectl get --raw needs no discovery).
set -e
out=$1
ns=it-deploy-no-change
mkdir -p "$out"
for p in api/v1/configmaps api/v1/secrets api/v1/services api/v1/pods apis/apps/v1/deployments apis/apps/v1/statefulsets; do
  kubectl get --raw "/${p%/*}/namespaces/$ns/${p##*/}" > "$out/${p##*/}.json"
done
