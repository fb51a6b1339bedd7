// Runtime configuration of the LLM stack chat client.
// This file is NOT bundled: the nginx image rewrites it at container start from the environment
// (same origin + /api, with nginx proxying Open WebUI's OpenAI-compatible API and adding its key;
// see README.md). The value below is the `npm run dev` default: LiteLLM forwarded to
// localhost:4000 (mvn llmstack:forward), its OpenAI base /v1; the page then asks for the key.
window.__LLMSTACK_CONFIG__ = { apiBaseUrl: "http://localhost:4000/v1", apiKeyFromServer: false };
