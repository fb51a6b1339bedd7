/** Fake fetch implementations for the chat-completions API, used by the unit and component tests. */

export interface RecordedRequest {
  url: string;
  init: RequestInit;
  body: { model: string; messages: { role: string; content: string }[]; stream: boolean };
}

export function sseDelta(content: string): string {
  return `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
}

/** A response streaming the given raw chunks (each one a separate read). */
export function streamResponse(chunks: string[], init: ResponseInit = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8' },
    ...init,
  });
}

export function jsonResponse(json: unknown, status = 200, statusText = ''): Response {
  return new Response(JSON.stringify(json), {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A fetch that records each request and answers with `respond(request)`. */
export function fakeFetch(respond: (request: RecordedRequest) => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request: RecordedRequest = {
      url: String(input),
      init,
      body: JSON.parse(String(init.body)),
    };
    requests.push(request);
    return respond(request);
  }) as typeof fetch;
  return { fetchImpl, requests };
}

/** A fetch that never answers until its signal aborts (then rejects like the browser's). */
export const hangingFetch = ((_input: RequestInfo | URL, init: RequestInit = {}) =>
  new Promise<Response>((_resolve, reject) => {
    init.signal?.addEventListener('abort', () =>
      reject(new DOMException('The operation was aborted.', 'AbortError')),
    );
  })) as typeof fetch;
