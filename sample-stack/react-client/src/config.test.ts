// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_API_BASE_URL, getApiBaseUrl, getApiKeyFromServer, resolveApiBaseUrl } from './config';

describe('resolveApiBaseUrl', () => {
  it('prefers the runtime config', () => {
    expect(resolveApiBaseUrl({ apiBaseUrl: 'http://litellm:4000' }, 'http://build:1')).toBe(
      'http://litellm:4000',
    );
  });

  it('falls back to the build-time URL, then to the default', () => {
    expect(resolveApiBaseUrl(undefined, 'http://build:1')).toBe('http://build:1');
    expect(resolveApiBaseUrl({ apiBaseUrl: '  ' }, 'http://build:1')).toBe('http://build:1');
    expect(resolveApiBaseUrl({}, undefined)).toBe(DEFAULT_API_BASE_URL);
    expect(resolveApiBaseUrl(undefined, '')).toBe('http://localhost:4000/v1');
  });

  it('removes trailing slashes and ignores non-strings', () => {
    expect(resolveApiBaseUrl({ apiBaseUrl: 'http://x:8080//' }, undefined)).toBe('http://x:8080');
    expect(
      resolveApiBaseUrl({ apiBaseUrl: 42 as unknown as string }, undefined),
    ).toBe(DEFAULT_API_BASE_URL);
  });
});

describe('getApiBaseUrl', () => {
  afterEach(() => {
    delete window.__LLMSTACK_CONFIG__;
    vi.unstubAllEnvs();
  });

  it('reads window.__LLMSTACK_CONFIG__ as set by config.js', () => {
    window.__LLMSTACK_CONFIG__ = { apiBaseUrl: 'http://from-config-js:8080' };
    vi.stubEnv('VITE_API_BASE_URL', 'http://from-build:1');
    expect(getApiBaseUrl()).toBe('http://from-config-js:8080');
  });

  it('uses VITE_API_BASE_URL when config.js set nothing', () => {
    vi.stubEnv('VITE_API_BASE_URL', 'http://from-build:1');
    expect(getApiBaseUrl()).toBe('http://from-build:1');
  });

  it('uses the default when neither is set', () => {
    vi.stubEnv('VITE_API_BASE_URL', '');
    expect(getApiBaseUrl()).toBe('http://localhost:4000/v1');
  });

  it('says the server adds the key only when config.js says so', () => {
    expect(getApiKeyFromServer()).toBe(false);
    window.__LLMSTACK_CONFIG__ = { apiBaseUrl: 'http://page:3000/api', apiKeyFromServer: true };
    expect(getApiKeyFromServer()).toBe(true);
    window.__LLMSTACK_CONFIG__ = { apiBaseUrl: 'http://page:3000/api' };
    expect(getApiKeyFromServer()).toBe(false);
  });
});
