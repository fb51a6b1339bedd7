#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts (/docker-entrypoint.d/*.sh), so one image
# serves any stack. From the environment it writes:
#
# 1. /etc/nginx/llmstack/llm-api.conf, included by default.conf: the chat backend's OpenAI-compatible API
#    reverse-proxied at the page's own origin (no CORS, no cluster-internal name in the browser), with the
#    API key added by nginx, so the browser neither knows nor sends it.
#      LLM_API_BACKEND   openwebui (default; the seed's VITE_API_BASE_URL -> OpenWebUI): proxies exactly
#                        /api/chat/completions and /api/models, Open WebUI's OpenAI-compatible endpoints;
#                        litellm: proxies /v1/ (LiteLLM's OpenAI API).
#      LLM_API_UPSTREAM  in-cluster origin of that backend, e.g. http://openwebui:8080 (scheme://host[:port],
#                        no path: the request path is passed on unchanged). Responses are not buffered, so
#                        streamed completions (SSE) reach the browser piece by piece. The host is resolved
#                        once, when nginx starts. Unset: those paths answer 503 with an OpenAI-style error.
#      LLM_API_KEY       sent as "Authorization: Bearer <key>" to the backend (the dev overlay takes it from a
#                        Secret: Open WebUI's API key, or LiteLLM's master key). Unset: the browser's own
#                        Authorization header, if any, is passed on. Never printed.
# 2. /usr/share/nginx/html/config.js, read by the app (window.__LLMSTACK_CONFIG__):
#      apiBaseUrl        the OpenAI base URL the app calls <apiBaseUrl>/chat/completions on:
#                        VITE_API_BASE_URL unset or empty: the page's origin + /api (openwebui) or /v1 (litellm),
#                        i.e. the proxy above; set: that URL, as is (an override: it must be reachable from the
#                        BROWSER, e.g. an ingress, and allow the page's origin by CORS; never a Service name).
#      apiKeyFromServer  true when the proxy adds LLM_API_KEY (the page then asks for no key).
#
# LLMSTACK_NGINX_CONF_DIR and LLMSTACK_HTML_DIR move the two files (tests run this script outside the image).
set -eu

conf_dir=${LLMSTACK_NGINX_CONF_DIR:-/etc/nginx/llmstack}
html_dir=${LLMSTACK_HTML_DIR:-/usr/share/nginx/html}
trim() { printf '%s' "$1" | tr -d '\r\n' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'; }
fail() { printf '%s: %s\n' "$0" "$*" >&2; exit 1; }

backend=$(trim "${LLM_API_BACKEND:-openwebui}")
case $backend in
  openwebui) locations='= /api/chat/completions|= /api/models'; base_path=/api ;;
  litellm) locations='/v1/'; base_path=/v1 ;;
  *) fail "LLM_API_BACKEND must be openwebui or litellm; got \"$backend\"" ;;
esac
upstream=$(trim "${LLM_API_UPSTREAM:-}" | sed -e 's#/*$##')
key=$(trim "${LLM_API_KEY:-}")

# ---- 1. the API locations
mkdir -p "$conf_dir"
conf=$conf_dir/llm-api.conf
if [ -n "$upstream" ]; then
  # Only scheme://host[:port] and a token-shaped key go into the nginx configuration: nothing else can be injected.
  printf '%s' "$upstream" | grep -Eq '^https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$' \
    || fail "LLM_API_UPSTREAM must be scheme://host[:port] (http or https, no path), e.g. http://openwebui:8080; got \"$upstream\""
  if [ -n "$key" ]; then
    printf '%s' "$key" | grep -Eq '^[A-Za-z0-9._~+/=-]+$' \
      || fail "LLM_API_KEY may hold only letters, digits and . _ ~ + / = - (its value is not printed)"
  fi
fi
: > "$conf.tmp"
old_ifs=$IFS
IFS='|'
for location in $locations; do
  IFS=$old_ifs
  if [ -z "$upstream" ]; then
    cat >> "$conf.tmp" <<NGINX
location $location {
    default_type application/json;
    add_header Cache-Control "no-store" always;
    return 503 '{"error":{"message":"LLM_API_UPSTREAM is not set: this nginx does not proxy the chat API (set it to the in-cluster URL of $backend, e.g. http://$backend:$([ "$backend" = litellm ] && echo 4000 || echo 8080))"}}';
}
NGINX
    continue
  fi
  cat >> "$conf.tmp" <<NGINX
location $location {
    proxy_pass $upstream;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_set_header X-Forwarded-Host \$host;
$([ -n "$key" ] && printf '    proxy_set_header Authorization "Bearer %s";\n' "$key")
    proxy_ssl_server_name on;
    # Server-Sent Events: every piece goes to the browser as soon as it arrives.
    proxy_buffering off;
    proxy_cache off;
    proxy_request_buffering off;
    gzip off;
    proxy_read_timeout 300s;
    proxy_send_timeout 300s;
    client_max_body_size 16m;
}
NGINX
done
IFS=$old_ifs
chmod 600 "$conf.tmp" # it may hold the key
mv "$conf.tmp" "$conf"
if [ -z "$upstream" ]; then
  printf '%s: wrote %s (LLM_API_UPSTREAM unset: the %s API paths answer 503)\n' "$0" "$conf" "$backend"
else
  printf '%s: wrote %s (%s API -> %s, %s)\n' "$0" "$conf" "$backend" "$upstream" \
    "$([ -n "$key" ] && echo 'Authorization added from LLM_API_KEY' || echo "the browser's Authorization passed on")"
fi

# ---- 2. config.js
target=$html_dir/config.js
from_server=$([ -n "$upstream" ] && [ -n "$key" ] && echo true || echo false)
url=$(trim "${VITE_API_BASE_URL:-}")
if [ -n "$url" ]; then
  # A JavaScript string literal: escape backslashes and double quotes, drop line breaks, no "</".
  escaped=$(printf '%s' "$url" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's#</#<\\/#g')
  printf 'window.__LLMSTACK_CONFIG__ = { apiBaseUrl: "%s", apiKeyFromServer: false };\n' "$escaped" > "$target"
  printf '%s: wrote %s (apiBaseUrl=%s, from VITE_API_BASE_URL)\n' "$0" "$target" "$url"
else
  # Same origin: the page calls <origin>/api/... or /v1/... on the nginx that served it (the proxy above).
  printf 'window.__LLMSTACK_CONFIG__ = { apiBaseUrl: window.location.origin + "%s", apiKeyFromServer: %s };\n' \
    "$base_path" "$from_server" > "$target"
  printf '%s: wrote %s (apiBaseUrl=window.location.origin + %s, apiKeyFromServer: %s)\n' "$0" "$target" "$base_path" \
    "$from_server"
fi
