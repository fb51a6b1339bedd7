"""Registers LLMSTACK_API_KEY as the API key of Open WebUI's admin account.

The React client's nginx calls Open WebUI's OpenAI-compatible API (/api/chat/completions) with the key of the dev
overlay's Secret openwebui-secret; Open WebUI accepts only keys it holds in its database (user.api_key, created at
random by POST /api/v1/auths/api_key) or its own JWTs. So, once Open WebUI answers on this container's port:

1. sign in (POST /api/v1/auths/signin): with WEBUI_AUTH=False Open WebUI signs everyone in as its one admin account
   (admin@localhost, created on the first sign-in), which gives that account's id;
2. set that account's api_key to LLMSTACK_API_KEY in Open WebUI's SQLite database (DATA_DIR/webui.db);
3. check that GET /api/models answers 200 with the key.

Development only: with WEBUI_AUTH on (the cluster overlay) it changes nothing and says so; users make their own keys.
The key is never printed. Runs in the background of the container's command (llmstack-start.sh).
"""
import json
import os
import sqlite3
import sys
import time
import urllib.error
import urllib.request

PORT = os.environ.get("PORT", "8080")
BASE = f"http://127.0.0.1:{PORT}"
WAIT_SECONDS = 900  # first start migrates the database and may download embedding models


def log(message):
    print(f"llmstack_api_key: {message}", file=sys.stderr, flush=True)


def call(path, body=None, key=None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, headers=headers, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, json.loads(answer.read() or b"null")


def wait_until_up():
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            if call("/health")[0] == 200:
                return True
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(1)  # Open WebUI has no way to announce that it is up: poll its health endpoint
    return False


def main():
    key = os.environ.get("LLMSTACK_API_KEY", "").strip()
    if not key:
        return 0
    if os.environ.get("WEBUI_AUTH", "True").strip().lower() not in ("false", "0", "no"):
        log("WEBUI_AUTH is on: LLMSTACK_API_KEY not registered (users create their own keys in Settings > Account).")
        return 0
    database = os.environ.get("DATABASE_URL", "")
    if database and not database.startswith("sqlite"):
        log("DATABASE_URL is not SQLite: LLMSTACK_API_KEY not registered (only DATA_DIR/webui.db is supported).")
        return 1
    if not wait_until_up():
        log(f"Open WebUI did not answer {BASE}/health within {WAIT_SECONDS} s: LLMSTACK_API_KEY not registered.")
        return 1
    status, admin = call("/api/v1/auths/signin", {"email": "admin@localhost", "password": "admin"})
    db = os.path.join(os.environ.get("DATA_DIR", "/app/backend/data"), "webui.db")
    with sqlite3.connect(db) as connection:
        changed = connection.execute('UPDATE "user" SET api_key = ? WHERE id = ?', (key, admin["id"])).rowcount
    if changed != 1:
        log(f"no account {admin.get('email')} in {db}: LLMSTACK_API_KEY not registered.")
        return 1
    status, _ = call("/api/models", key=key)
    log(f"LLMSTACK_API_KEY registered for {admin.get('email')}; GET /api/models with it answered {status}.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (urllib.error.URLError, OSError, ValueError, KeyError, sqlite3.Error) as e:
        log(f"LLMSTACK_API_KEY not registered: {e}")
        sys.exit(1)
