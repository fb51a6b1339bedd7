#!/usr/bin/env bash
# The image's command: registers LLMSTACK_API_KEY in the background (llmstack_api_key.py; nothing when it is
# unset), then runs Open WebUI's own start script (the base image's command) as PID 1's replacement.
set -euo pipefail
if [[ -n "${LLMSTACK_API_KEY:-}" ]]; then
  python3 /app/backend/llmstack_api_key.py &
fi
exec bash /app/backend/start.sh "$@"
