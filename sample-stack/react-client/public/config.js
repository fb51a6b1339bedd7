// Runtime configuration of the LLM stack chat client.
// This file is NOT bundled: the nginx image rewrites it at container start from the
// environment (same origin, with nginx proxying /v1/ to LiteLLM; see README.md). The value below
// is the `npm run dev` default: LiteLLM forwarded to localhost:4000 (mvn llmstack:forward).
window.__LLMSTACK_CONFIG__ = { apiBaseUrl: "http://localhost:4000" };
