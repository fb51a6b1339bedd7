/** Runtime configuration, set by `/config.js` (rewritten by the container at start). */
export interface LlmStackConfig {
  apiBaseUrl?: string;
}

declare global {
  interface Window {
    __LLMSTACK_CONFIG__?: LlmStackConfig;
  }
}

export const DEFAULT_API_BASE_URL = 'http://localhost:4000';

function clean(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().replace(/\/+$/, '');
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The API base URL, first found of: the runtime config (`window.__LLMSTACK_CONFIG__.apiBaseUrl`),
 * the build-time `VITE_API_BASE_URL`, then {@link DEFAULT_API_BASE_URL}. Trailing slashes are
 * removed so that `${base}/v1/chat/completions` is well formed.
 */
export function resolveApiBaseUrl(
  runtime: LlmStackConfig | undefined,
  buildTimeUrl: string | undefined,
): string {
  return clean(runtime?.apiBaseUrl) ?? clean(buildTimeUrl) ?? DEFAULT_API_BASE_URL;
}

/** {@link resolveApiBaseUrl} applied to this page's window and this build's environment. */
export function getApiBaseUrl(): string {
  const runtime = typeof window === 'undefined' ? undefined : window.__LLMSTACK_CONFIG__;
  return resolveApiBaseUrl(runtime, import.meta.env.VITE_API_BASE_URL as string | undefined);
}
