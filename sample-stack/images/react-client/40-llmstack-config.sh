#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts (/docker-entrypoint.d/*.sh), so one image
# serves any stack. From the environment it writes:
#
# 1. /etc/nginx/llmstack/llm-api.conf, included by default.conf: `location /v1/` reverse-proxies the
#    OpenAI-compatible API (LiteLLM) at the page's own origin.
#      LLM_API_UPSTREAM  in-cluster origin of the API, e.g. http://litellm:4000 (scheme://host[:port],
#                        no path: the request path /v1/... is passed on unchanged). Responses are not
#                        buffered, so streamed completions (SSE) reach the browser piece by piece.
#                        The host is resolved once, when nginx starts. Unset: /v1/ answers 503 with
#                        an OpenAI-style error body saying so.
# 2. /usr/share/nginx/html/config.js, read by the app (window.__LLMSTACK_CONFIG__.apiBaseUrl; the app
#    calls <apiBaseUrl>/v1/chat/completions).
#      VITE_API_BASE_URL unset or empty: window.location.origin, i.e. the proxy above.
#      VITE_API_BASE_URL set: that URL, as is (an override; it must be reachable from the BROWSER,
#                        e.g. an ingress, and allow the page's origin by CORS; never a Service name).
set -eu

# ---- 1. the /v1/ location
conf_dir=/etc/nginx/llmstack
conf=$conf_dir/llm-api.conf
mkdir -p "$conf_dir"
upstream=$(printf '%s' "${LLM_API_UPSTREAM:-}" | tr -d '\r\n' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's#/*$##')
if [ -z "$upstream" ]; then
  cat > "$conf" <<'NGINX'
location /v1/ {
    default_type application/json;
    add_header Cache-Control "no-store" always;
    return 503 '{"error":{"message":"LLM_API_UPSTREAM is not set: this nginx does not proxy /v1/ (set it to the in-cluster URL of LiteLLM, e.g. http://litellm:4000)"}}';
}
NGINX
  printf '%s: wrote %s (LLM_API_UPSTREAM unset: /v1/ answers 503)\n' "$0" "$conf"
else
  # Only scheme://host[:port] goes into the nginx configuration: nothing else can be injected.
  if ! printf '%s' "$upstream" | grep -Eq '^https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$'; then
    printf '%s: LLM_API_UPSTREAM must be scheme://host[:port] (http or https, no path), e.g. http://litellm:4000; got "%s"\n' "$0" "$upstream" >&2
    exit 1
  fi
  cat > "$conf" <<NGINX
location /v1/ {
    proxy_pass $upstream;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_set_header X-Forwarded-Host \$host;
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
  printf '%s: wrote %s (/v1/ -> %s)\n' "$0" "$conf" "$upstream"
fi

# ---- 2. config.js
target=/usr/share/nginx/html/config.js
url=${VITE_API_BASE_URL:-}
url=$(printf '%s' "$url" | tr -d '\r\n' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
if [ -n "$url" ]; then
  # A JavaScript string literal: escape backslashes and double quotes, drop line breaks, no "</".
  escaped=$(printf '%s' "$url" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's#</#<\\/#g')
  printf 'window.__LLMSTACK_CONFIG__ = { apiBaseUrl: "%s" };\n' "$escaped" > "$target"
  printf '%s: wrote %s (apiBaseUrl=%s, from VITE_API_BASE_URL)\n' "$0" "$target" "$url"
else
  # Same origin: the page calls /v1/... on the nginx that served it (the proxy above).
  printf 'window.__LLMSTACK_CONFIG__ = { apiBaseUrl: window.location.origin };\n' > "$target"
  printf '%s: wrote %s (apiBaseUrl=window.location.origin: /v1/ through this nginx)\n' "$0" "$target"
fi
