// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  ChatError,
  errorMessageOf,
  httpErrorMessage,
  parseCompletionJson,
  parseSseChunk,
} from './chatClient';

const event = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;

/** Feeds the chunks one by one, as reads from a stream, and collects the reply. */
function feed(chunks: string[]): { reply: string; done: boolean } {
  let rest = '';
  let reply = '';
  for (const chunk of chunks) {
    const result = parseSseChunk(rest + chunk);
    reply += result.deltas.join('');
    rest = result.rest;
    if (result.done) return { reply, done: true };
  }
  const last = parseSseChunk(rest, true);
  return { reply: reply + last.deltas.join(''), done: last.done };
}

describe('parseSseChunk', () => {
  it('parses complete events and [DONE]', () => {
    const result = parseSseChunk(event('Hello') + event(' world') + 'data: [DONE]\n\n');
    expect(result).toEqual({ deltas: ['Hello', ' world'], done: true, rest: '' });
  });

  it('keeps an incomplete event as rest', () => {
    const whole = event('Hello');
    const result = parseSseChunk(whole + whole.slice(0, 20));
    expect(result.deltas).toEqual(['Hello']);
    expect(result.done).toBe(false);
    expect(result.rest).toBe(whole.slice(0, 20));
  });

  it('joins events split across reads at every possible position', () => {
    const stream = event('Hel') + event('lo ') + event('wörld ✓') + 'data: [DONE]\n\n';
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(feed([stream.slice(0, cut), stream.slice(cut)])).toEqual({
        reply: 'Hello wörld ✓',
        done: true,
      });
    }
  });

  it('handles one character per read', () => {
    const stream = event('a') + event('b') + 'data: [DONE]\n\n';
    expect(feed([...stream])).toEqual({ reply: 'ab', done: true });
  });

  it('handles CRLF line endings, also when CR and LF arrive in different reads', () => {
    const stream = (event('x') + event('y') + 'data: [DONE]\n\n').replace(/\n/g, '\r\n');
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(feed([stream.slice(0, cut), stream.slice(cut)])).toEqual({ reply: 'xy', done: true });
    }
  });

  it('ignores events after [DONE]', () => {
    const result = parseSseChunk(event('a') + 'data: [DONE]\n\n' + event('b'));
    expect(result.deltas).toEqual(['a']);
    expect(result.done).toBe(true);
  });

  it('ignores comments, event/id lines, role-only and empty deltas', () => {
    const role = `data: ${JSON.stringify({ choices: [{ delta: { role: 'assistant' } }] })}\n\n`;
    const finish = `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`;
    const result = parseSseChunk(
      ': keep-alive\n\n' + role + 'event: message\nid: 7\n' + event('ok') + event('') + finish,
    );
    expect(result.deltas).toEqual(['ok']);
    expect(result.done).toBe(false);
  });

  it('accepts data: without a space and parses the rest at end of stream', () => {
    const result = parseSseChunk(`data:${JSON.stringify({ choices: [{ delta: { content: 'z' } }] })}`, true);
    expect(result).toEqual({ deltas: ['z'], done: false, rest: '' });
  });

  it('throws a ChatError for an error event in the stream', () => {
    expect(() => parseSseChunk('data: {"error":{"message":"rate limited"}}\n\n')).toThrowError(
      /rate limited/,
    );
  });

  it('throws a protocol ChatError for data that is not JSON', () => {
    try {
      parseSseChunk('data: not json\n\n');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ChatError);
      expect((err as ChatError).kind).toBe('protocol');
    }
  });
});

describe('non-streamed JSON', () => {
  it('reads choices[0].message.content', () => {
    expect(
      parseCompletionJson({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' } }],
      }),
    ).toBe('Hi there');
  });

  it('throws on an error body and on a body without content', () => {
    expect(() => parseCompletionJson({ error: { message: 'bad model' } })).toThrowError(/bad model/);
    expect(() => parseCompletionJson({ choices: [] })).toThrowError(ChatError);
  });

  it('finds the message of the error shapes of the stack', () => {
    expect(errorMessageOf({ error: { message: 'm1', type: 'x' } })).toBe('m1');
    expect(errorMessageOf({ error: 'm2' })).toBe('m2');
    expect(errorMessageOf({ detail: 'm3' })).toBe('m3');
    expect(errorMessageOf({ message: 'm4' })).toBe('m4');
    expect(errorMessageOf({ choices: [] })).toBeUndefined();
    expect(errorMessageOf('text')).toBeUndefined();
  });

  it('formats HTTP errors with status and body message', () => {
    expect(httpErrorMessage(500, 'Internal Server Error', '{"error":{"message":"boom"}}')).toBe(
      'HTTP 500 Internal Server Error: boom',
    );
    expect(httpErrorMessage(502, '', '<html>Bad Gateway</html>')).toBe(
      'HTTP 502: <html>Bad Gateway</html>',
    );
    expect(httpErrorMessage(404, 'Not Found', '')).toBe('HTTP 404 Not Found');
  });
});
