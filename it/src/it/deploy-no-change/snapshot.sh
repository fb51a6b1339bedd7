#!/bin/sh
# Saves the namespace's objects as the API server lists them. curl with the kubeconfig's token rather than
# kubectl get --raw: kubectl sends no credentials to an http:// server (client-go's clientcmd applies a user's
# credentials only over TLS), and the kube rig answers anonymous requests 403, as a real API server does.
set -e
out=$1
ns=it-deploy-no-change
server=$(sed -n 's/^ *server: *//p' "$KUBECONFIG" | head -n 1)
token=$(sed -n 's/^ *token: *//p' "$KUBECONFIG" | head -n 1)
mkdir -p "$out"
for p in api/v1/configmaps api/v1/secrets api/v1/services api/v1/pods apis/apps/v1/deployments apis/apps/v1/statefulsets; do
  curl -sf -H "Authorization: Bearer $token" "$server/${p%/*}/namespaces/$ns/${p##*/}" > "$out/${p##*/}.json"
done
