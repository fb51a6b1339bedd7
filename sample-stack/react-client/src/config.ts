/** Runtime configuration, set by `/config.js` (rewritten by the container at start). */
export interface LlmStackConfig {
  /** OpenAI base URL: the app calls `<apiBaseUrl>/chat/completions`. */
  apiBaseUrl?: string;
  /** True when the server in front of the API adds the key (the stack's nginx does): the page asks for none. */
  apiKeyFromServer?: boolean;
}

declare global {
  interface Window {
    __LLMSTACK_CONFIG__?: LlmStackConfig;
  }
}

/** `npm run dev` without config.js: LiteLLM forwarded to localhost (mvn llmstack:forward), its OpenAI base. */
export const DEFAULT_API_BASE_URL = 'http://localhost:4000/v1';

function clean(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().replace(/\/+$/, '');
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The API base URL, first found of: the runtime config (`window.__LLMSTACK_CONFIG__.apiBaseUrl`),
 * the build-time `VITE_API_BASE_URL`, then {@link DEFAULT_API_BASE_URL}. Trailing slashes are
 * removed so that `${base}/chat/completions` is well formed.
 */
export function resolveApiBaseUrl(
  runtime: LlmStackConfig | undefined,
  buildTimeUrl: string | undefined,
): string {
  return clean(runtime?.apiBaseUrl) ?? clean(buildTimeUrl) ?? DEFAULT_API_BASE_URL;
}

/** {@link resolveApiBaseUrl} applied to this page's window and this build's environment. */
export function getApiBaseUrl(): string {
  return resolveApiBaseUrl(runtimeConfig(), import.meta.env.VITE_API_BASE_URL as string | undefined);
}

/** Whether the page's server adds the API key (only config.js can say so; a build-time URL never does). */
export function getApiKeyFromServer(): boolean {
  return runtimeConfig()?.apiKeyFromServer === true;
}

function runtimeConfig(): LlmStackConfig | undefined {
  return typeof window === 'undefined' ? undefined : window.__LLMSTACK_CONFIG__;
}
