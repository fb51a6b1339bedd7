// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFetch, hangingFetch, jsonResponse, sseDelta, streamResponse } from '../test/fakeApi';
import { ChatPage } from './ChatPage';

afterEach(cleanup);

const API = 'http://stub.test:3000/api';

describe('ChatPage', () => {
  it('sends the prompt and renders the streamed reply', async () => {
    const { fetchImpl, requests } = fakeFetch(() =>
      streamResponse([sseDelta('Hello'), sseDelta(' from the stub'), 'data: [DONE]\n\n']),
    );
    const user = userEvent.setup();
    render(<ChatPage apiBaseUrl={API} apiKeyFromServer fetchImpl={fetchImpl} />);

    expect(screen.getByTestId('api-base-url').textContent).toBe(API);
    await user.type(screen.getByLabelText('Prompt'), 'Say hello');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    await waitFor(() =>
      expect(screen.getByTestId('message-assistant').textContent).toContain('Hello from the stub'),
    );
    expect(screen.getByTestId('message-user').textContent).toContain('Say hello');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(requests[0].url).toBe(`${API}/chat/completions`);
    expect(requests[0].body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    });
    expect((requests[0].init.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(screen.getByTestId('api-key-note').textContent).toBe("API key: added by the page's server");
    expect(screen.queryByLabelText(/API key/)).toBeNull();
    expect((screen.getByLabelText('Prompt') as HTMLTextAreaElement).value).toBe('');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(true),
    );
  });

  it('sends the chosen model, the API key and the conversation so far', async () => {
    let turn = 0;
    const { fetchImpl, requests } = fakeFetch(() =>
      jsonResponse({ choices: [{ message: { role: 'assistant', content: `Answer ${++turn}` } }] }),
    );
    const user = userEvent.setup();
    render(<ChatPage apiBaseUrl={API} fetchImpl={fetchImpl} />);

    await user.clear(screen.getByLabelText('Model'));
    await user.type(screen.getByLabelText('Model'), 'llama3');
    await user.type(screen.getByLabelText('API key'), 'sk-test');
    await user.type(screen.getByLabelText('Prompt'), 'First{Enter}');
    await screen.findByText('Answer 1');
    await user.type(screen.getByLabelText('Prompt'), 'Second{Enter}');
    await screen.findByText('Answer 2');

    expect(requests).toHaveLength(2);
    expect(requests[1].body.model).toBe('llama3');
    expect(requests[1].body.messages).toEqual([
      { role: 'user', content: 'First' },
      { role: 'assistant', content: 'Answer 1' },
      { role: 'user', content: 'Second' },
    ]);
    expect((requests[1].init.headers as Record<string, string>).Authorization).toBe('Bearer sk-test');
  });

  it('asks for the key when the server does not add it: a required field, Send disabled until filled', async () => {
    const { fetchImpl, requests } = fakeFetch(() => streamResponse(['data: [DONE]\n\n']));
    const user = userEvent.setup();
    render(<ChatPage apiBaseUrl={API} fetchImpl={fetchImpl} />);

    const key = screen.getByLabelText('API key') as HTMLInputElement;
    expect(key.required).toBe(true);
    expect(document.body.textContent).not.toMatch(/optional/i);
    await user.type(screen.getByLabelText('Prompt'), 'hi');
    expect(screen.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByTestId('composer-hint').textContent).toContain('Enter the API key first');
    await user.keyboard('{Enter}');
    expect(requests).toHaveLength(0);

    await user.type(key, 'sk-typed');
    expect(screen.queryByTestId('composer-hint')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect((requests[0].init.headers as Record<string, string>).Authorization).toBe('Bearer sk-typed');
  });

  it('shows the HTTP status and error message in an alert', async () => {
    const { fetchImpl } = fakeFetch(() =>
      jsonResponse({ error: { message: 'upstream model crashed' } }, 500, 'Internal Server Error'),
    );
    const user = userEvent.setup();
    render(<ChatPage apiBaseUrl={API} apiKeyFromServer fetchImpl={fetchImpl} />);

    await user.type(screen.getByLabelText('Prompt'), 'please fail');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('HTTP 500 Internal Server Error: upstream model crashed');
    expect(screen.queryByTestId('message-assistant')).toBeNull();
    expect(screen.getByTestId('message-user').textContent).toContain('please fail');

    await user.click(screen.getByRole('button', { name: 'Dismiss error' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a network failure in an alert', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const user = userEvent.setup();
    render(<ChatPage apiBaseUrl={API} apiKeyFromServer fetchImpl={fetchImpl} />);

    await user.type(screen.getByLabelText('Prompt'), 'hi{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain(
      `Network error: could not reach ${API}/chat/completions (Failed to fetch).`,
    );
  });

  it('shows a timeout in an alert', async () => {
    const user = userEvent.setup();
    render(<ChatPage apiBaseUrl={API} apiKeyFromServer fetchImpl={hangingFetch} timeoutMs={50} />);

    await user.type(screen.getByLabelText('Prompt'), 'hi{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Timed out after/);
  });

  it('can stop a pending request without showing an error', async () => {
    const user = userEvent.setup();
    render(<ChatPage apiBaseUrl={API} apiKeyFromServer fetchImpl={hangingFetch} />);

    await user.type(screen.getByLabelText('Prompt'), 'hi{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('message-assistant')).toBeNull();
  });
});
