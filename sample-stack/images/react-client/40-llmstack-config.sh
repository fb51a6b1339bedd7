#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts (/docker-entrypoint.d/*.sh):
# writes the React client's runtime configuration from the environment, so one image serves any
# stack. VITE_API_BASE_URL: base URL of the OpenAI-compatible API (the app calls <base>/v1/chat/completions).
set -eu
target=/usr/share/nginx/html/config.js
url=${VITE_API_BASE_URL:-}
# A JavaScript string literal: escape backslashes and double quotes, drop line breaks.
escaped=$(printf '%s' "$url" | tr -d '\r\n' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's#</#<\\/#g')
if [ -n "$url" ]; then
  printf 'window.__LLMSTACK_CONFIG__ = { apiBaseUrl: "%s" };\n' "$escaped" > "$target"
else
  printf 'window.__LLMSTACK_CONFIG__ = {};\n' > "$target"
fi
printf '%s: wrote %s (apiBaseUrl=%s)\n' "$0" "$target" "${url:-<unset>}"
