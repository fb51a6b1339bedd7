// Runtime configuration of the LLM stack chat client.
// This file is NOT bundled: the nginx image rewrites it at container start from the
// environment variable VITE_API_BASE_URL (see README.md). The value below is the dev default
// (OpenWebUI's port in the stack; LiteLLM listens on 4000).
window.__LLMSTACK_CONFIG__ = { apiBaseUrl: "http://localhost:8080" };
