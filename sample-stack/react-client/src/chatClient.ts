/** Client of an OpenAI-compatible chat-completions API (LiteLLM, OpenWebUI, ...). */

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
}

export type ChatErrorKind = 'http' | 'network' | 'timeout' | 'protocol' | 'aborted';

/** A failed request, with a message meant to be shown as is. */
export class ChatError extends Error {
  readonly kind: ChatErrorKind;
  readonly status?: number;

  constructor(kind: ChatErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'ChatError';
    this.kind = kind;
    this.status = status;
  }
}

// ---------------------------------------------------------------------------------------------
// Pure parsing
// ---------------------------------------------------------------------------------------------

export interface SseParseResult {
  /** Content deltas of the complete events in the buffer, in order (empty deltas left out). */
  deltas: string[];
  /** True once `data: [DONE]` was seen; events after it are ignored. */
  done: boolean;
  /** The incomplete tail of the buffer: prepend it to the next chunk read. */
  rest: string;
}

/**
 * Parses Server-Sent Events of a streamed chat completion.
 *
 * Pure: give it what is left over from the previous call plus the newly read text; it returns the
 * deltas of every complete event (an event ends at a blank line) and the unparsed rest. With
 * `final` set (end of stream) the rest is parsed as a last event too. `data:` lines of one event
 * are joined with newlines (as the SSE spec says); comments (`:`), `event:`, `id:` and `retry:`
 * lines are ignored. A `data: {"error": ...}` event (LiteLLM reports mid-stream failures so)
 * throws a {@link ChatError}.
 */
export function parseSseChunk(buffer: string, final = false): SseParseResult {
  // A lone CR at the very end may be the first half of a CRLF split across reads: keep it.
  let text = buffer;
  let heldBack = '';
  if (!final && text.endsWith('\r')) {
    heldBack = '\r';
    text = text.slice(0, -1);
  }
  text = text.replace(/\r\n?/g, '\n');

  const blocks = text.split('\n\n');
  let rest = blocks.pop() ?? '';
  if (final) {
    blocks.push(rest);
    rest = '';
  }

  const deltas: string[] = [];
  for (const block of blocks) {
    const data = eventData(block);
    if (data === undefined) continue;
    if (data.trim() === '[DONE]') return { deltas, done: true, rest: '' };
    const delta = deltaOf(data);
    if (delta) deltas.push(delta);
  }
  return { deltas, done: false, rest: rest + heldBack };
}

function eventData(block: string): string | undefined {
  const lines: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('data:')) {
      const value = line.slice(5);
      lines.push(value.startsWith(' ') ? value.slice(1) : value);
    }
  }
  return lines.length === 0 ? undefined : lines.join('\n');
}

function deltaOf(data: string): string {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new ChatError('protocol', `Invalid stream event from the API: ${truncate(data)}`);
  }
  const error = errorMessageOf(json);
  if (error) throw new ChatError('http', `Error from the API during the stream: ${error}`);
  const content = (json as StreamChunk)?.choices?.[0]?.delta?.content;
  return typeof content === 'string' ? content : '';
}

interface StreamChunk {
  choices?: { delta?: { content?: unknown } }[];
}

interface Completion {
  choices?: { message?: { content?: unknown } }[];
}

/** The reply of a non-streamed completion (`choices[0].message.content`). */
export function parseCompletionJson(json: unknown): string {
  const error = errorMessageOf(json);
  if (error) throw new ChatError('http', `Error from the API: ${error}`);
  const content = (json as Completion)?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') {
    throw new ChatError('protocol', 'The API answered without choices[0].message.content.');
  }
  return content;
}

/**
 * The message of an error body, in the shapes the stack's services use: OpenAI/LiteLLM
 * `{"error": {"message": ...}}`, `{"error": "..."}`, FastAPI/OpenWebUI `{"detail": ...}`,
 * or `{"message": ...}`. Undefined when the body carries no error.
 */
export function errorMessageOf(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const body = json as Record<string, unknown>;
  const error = body.error;
  if (typeof error === 'string' && error) return error;
  if (error && typeof error === 'object') {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === 'string' && message) return message;
    return JSON.stringify(error);
  }
  const detail = body.detail;
  if (typeof detail === 'string' && detail) return detail;
  if (Array.isArray(detail) && detail.length > 0) return JSON.stringify(detail);
  if (!('choices' in body) && typeof body.message === 'string' && body.message) return body.message;
  return undefined;
}

/** `HTTP 500 Internal Server Error: <message from the body>` (or the body text itself). */
export function httpErrorMessage(status: number, statusText: string, bodyText: string): string {
  let detail: string | undefined;
  try {
    detail = errorMessageOf(JSON.parse(bodyText));
  } catch {
    detail = undefined;
  }
  detail ??= bodyText.trim() ? truncate(bodyText.trim()) : undefined;
  const head = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  return detail ? `${head}: ${detail}` : head;
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------------

export const DEFAULT_MODEL = 'gpt-4o-mini';
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface SendChatOptions {
  baseUrl: string;
  model: string;
  messages: ChatMessage[];
  apiKey?: string;
  /** Called with each piece of the reply as it arrives (once, with the whole reply, if not streamed). */
  onDelta?: (delta: string) => void;
  /** Aborts the request (the promise rejects with kind 'aborted'). */
  signal?: AbortSignal;
  /** Longest wait for the response, and then between two reads of the stream. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export function completionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/**
 * POSTs `{model, messages, stream: true}` and resolves with the whole reply. Handles a streamed
 * (`text/event-stream`) answer as well as a plain JSON completion. Rejects with a
 * {@link ChatError} on an HTTP error status, a network failure, a timeout or a malformed answer.
 */
export async function sendChat(options: SendChatOptions): Promise<string> {
  const {
    baseUrl,
    model,
    messages,
    apiKey,
    onDelta = () => {},
    signal,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    fetchImpl = globalThis.fetch.bind(globalThis),
  } = options;
  const url = completionsUrl(baseUrl);

  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const onOuterAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', onOuterAbort);

  const failure = (err: unknown, whileStreaming: boolean): ChatError => {
    if (err instanceof ChatError) return err;
    if (timedOut) {
      return new ChatError(
        'timeout',
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${url}.`,
      );
    }
    if (signal?.aborted) return new ChatError('aborted', 'Request cancelled.');
    const reason = err instanceof Error ? err.message : String(err);
    return whileStreaming
      ? new ChatError('network', `Connection lost while streaming the reply from ${url} (${reason}).`)
      : new ChatError('network', `Network error: could not reach ${url} (${reason}).`);
  };

  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'text/event-stream, application/json',
  };
  if (apiKey?.trim()) headers.Authorization = `Bearer ${apiKey.trim()}`;

  armTimer();
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, messages, stream: true }),
        signal: controller.signal,
      });
    } catch (err) {
      throw failure(err, false);
    }

    try {
      if (!response.ok) {
        const bodyText = await response.text().catch(() => '');
        throw new ChatError(
          'http',
          httpErrorMessage(response.status, response.statusText, bodyText),
          response.status,
        );
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType.includes('text/event-stream') && response.body) {
        return await readStream(response.body, onDelta, armTimer);
      }
      armTimer();
      const text = await response.text();
      if (text.trimStart().startsWith('data:')) {
        const { deltas } = parseSseChunk(text, true);
        deltas.forEach(onDelta);
        return deltas.join('');
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ChatError('protocol', `The API answered with neither JSON nor SSE: ${truncate(text)}`);
      }
      const reply = parseCompletionJson(json);
      onDelta(reply);
      return reply;
    } catch (err) {
      throw failure(err, true);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onOuterAbort);
  }
}

async function readStream(
  body: ReadableStream<Uint8Array>,
  onDelta: (delta: string) => void,
  onProgress: () => void,
): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  let reply = '';
  const emit = (deltas: string[]) => {
    for (const delta of deltas) {
      reply += delta;
      onDelta(delta);
    }
  };
  try {
    for (;;) {
      onProgress();
      const { value, done } = await reader.read();
      if (done) {
        const last = parseSseChunk(rest + decoder.decode(), true);
        emit(last.deltas);
        return reply;
      }
      const parsed = parseSseChunk(rest + decoder.decode(value, { stream: true }));
      emit(parsed.deltas);
      rest = parsed.rest;
      if (parsed.done) return reply;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
