// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ChatError, completionsUrl, sendChat } from './chatClient';
import { fakeFetch, hangingFetch, jsonResponse, sseDelta, streamResponse } from './test/fakeApi';

const base = { baseUrl: 'http://api.test:4000/v1', model: 'gpt-4o-mini' };
const messages = [{ role: 'user' as const, content: 'Hi' }];

async function failure(promise: Promise<unknown>): Promise<ChatError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ChatError);
    return err as ChatError;
  }
  throw new Error('expected the request to fail');
}

describe('sendChat', () => {
  it('POSTs {model, messages, stream: true} to <base>/chat/completions', async () => {
    const { fetchImpl, requests } = fakeFetch(() => streamResponse(['data: [DONE]\n\n']));
    await sendChat({ ...base, baseUrl: 'http://page.test:3000/api/', messages, fetchImpl });
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe('http://page.test:3000/api/chat/completions');
    expect(requests[0].init.method).toBe('POST');
    expect(requests[0].body).toEqual({ model: 'gpt-4o-mini', messages, stream: true });
    const headers = requests[0].init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers.Authorization).toBeUndefined();
  });

  it('sends the API key as a bearer token', async () => {
    const { fetchImpl, requests } = fakeFetch(() => streamResponse(['data: [DONE]\n\n']));
    await sendChat({ ...base, messages, apiKey: ' sk-123 ', fetchImpl });
    expect((requests[0].init.headers as Record<string, string>).Authorization).toBe('Bearer sk-123');
  });

  it('streams deltas split across reads', async () => {
    const stream = sseDelta('Hello') + sseDelta(' from') + sseDelta(' the stub') + 'data: [DONE]\n\n';
    const chunks = [stream.slice(0, 7), stream.slice(7, 50), stream.slice(50, 51), stream.slice(51)];
    const { fetchImpl } = fakeFetch(() => streamResponse(chunks));
    const seen: string[] = [];
    const reply = await sendChat({ ...base, messages, fetchImpl, onDelta: (d) => seen.push(d) });
    expect(reply).toBe('Hello from the stub');
    expect(seen).toEqual(['Hello', ' from', ' the stub']);
  });

  it('decodes multi-byte characters split between reads', async () => {
    const bytes = new TextEncoder().encode(sseDelta('héllo ✓') + 'data: [DONE]\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const { fetchImpl } = fakeFetch(
      () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }),
    );
    expect(await sendChat({ ...base, messages, fetchImpl })).toBe('héllo ✓');
  });

  it('accepts a stream that ends without [DONE]', async () => {
    const { fetchImpl } = fakeFetch(() => streamResponse([sseDelta('a'), sseDelta('b').trimEnd()]));
    expect(await sendChat({ ...base, messages, fetchImpl })).toBe('ab');
  });

  it('handles a non-streamed JSON completion', async () => {
    const { fetchImpl } = fakeFetch(() =>
      jsonResponse({ choices: [{ index: 0, message: { role: 'assistant', content: 'Whole reply' } }] }),
    );
    const seen: string[] = [];
    expect(await sendChat({ ...base, messages, fetchImpl, onDelta: (d) => seen.push(d) })).toBe(
      'Whole reply',
    );
    expect(seen).toEqual(['Whole reply']);
  });

  it('reports HTTP status and the message of the error body', async () => {
    const { fetchImpl } = fakeFetch(() =>
      jsonResponse({ error: { message: 'Invalid model name gpt-x' } }, 400, 'Bad Request'),
    );
    const error = await failure(sendChat({ ...base, messages, fetchImpl }));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(400);
    expect(error.message).toBe('HTTP 400 Bad Request: Invalid model name gpt-x');
  });

  it('reports a network failure with the URL', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const error = await failure(sendChat({ ...base, messages, fetchImpl }));
    expect(error.kind).toBe('network');
    expect(error.message).toBe(
      `Network error: could not reach ${completionsUrl(base.baseUrl)} (Failed to fetch).`,
    );
  });

  it('times out when the server does not answer', async () => {
    const error = await failure(sendChat({ ...base, messages, fetchImpl: hangingFetch, timeoutMs: 30 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/^Timed out after 0 s waiting for http:\/\/api\.test:4000\/v1\/chat\/completions/);
  });

  it('times out when a stream stalls', async () => {
    const encoder = new TextEncoder();
    const { fetchImpl } = fakeFetch(
      (request) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(encoder.encode(sseDelta('partial')));
              request.init.signal?.addEventListener('abort', () =>
                controller.error(new DOMException('aborted', 'AbortError')),
              );
            },
          }),
          { headers: { 'Content-Type': 'text/event-stream' } },
        ),
    );
    const seen: string[] = [];
    const error = await failure(
      sendChat({ ...base, messages, fetchImpl, timeoutMs: 30, onDelta: (d) => seen.push(d) }),
    );
    expect(seen).toEqual(['partial']);
    expect(error.kind).toBe('timeout');
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    const pending = sendChat({ ...base, messages, fetchImpl: hangingFetch, signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).kind).toBe('aborted');
  });

  it('reports an answer that is neither JSON nor SSE', async () => {
    const { fetchImpl } = fakeFetch(() => new Response('<html>hi</html>', { status: 200 }));
    const error = await failure(sendChat({ ...base, messages, fetchImpl }));
    expect(error.kind).toBe('protocol');
  });
});
