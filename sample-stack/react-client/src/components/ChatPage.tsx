import { useRef, useState } from 'react';
import { ChatError, DEFAULT_MODEL, sendChat, type ChatMessage } from '../chatClient';
import { Composer } from './Composer';
import { ErrorBox } from './ErrorBox';
import { MessageList } from './MessageList';
import { Settings } from './Settings';

export interface ChatPageProps {
  apiBaseUrl: string;
  /** The page's server adds the API key (config.js); otherwise the user must enter it. */
  apiKeyFromServer?: boolean;
  /** For tests; the browser's fetch otherwise. */
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

export function ChatPage({ apiBaseUrl, apiKeyFromServer = false, fetchImpl, timeoutMs }: ChatPageProps) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [model, setModel] = useState(DEFAULT_MODEL);
  const [apiKey, setApiKey] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  async function send(prompt: string) {
    const history: ChatMessage[] = [...messages, { role: 'user', content: prompt }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setError(null);
    setPending(true);
    const controller = new AbortController();
    abortRef.current = controller;

    const appendToReply = (delta: string) =>
      setMessages((current) => {
        const last = current[current.length - 1];
        return [...current.slice(0, -1), { ...last, content: last.content + delta }];
      });

    try {
      await sendChat({
        baseUrl: apiBaseUrl,
        model: model.trim() || DEFAULT_MODEL,
        messages: history,
        apiKey: apiKeyFromServer ? undefined : apiKey,
        onDelta: appendToReply,
        signal: controller.signal,
        timeoutMs,
        fetchImpl,
      });
    } catch (err) {
      const cancelled = err instanceof ChatError && err.kind === 'aborted';
      if (!cancelled) setError(err instanceof Error ? err.message : String(err));
      // Drop the reply placeholder if nothing of it arrived; keep a partial reply.
      setMessages((current) => {
        const last = current[current.length - 1];
        return last?.role === 'assistant' && last.content === '' ? current.slice(0, -1) : current;
      });
    } finally {
      abortRef.current = null;
      setPending(false);
    }
  }

  return (
    <div className="chat-page">
      <header className="chat-header">
        <h1>LLM Stack Chat</h1>
        <p className="api-base" title="Set at container start through config.js">
          API: <code data-testid="api-base-url">{apiBaseUrl}</code>
        </p>
      </header>
      <Settings
        model={model}
        onModelChange={setModel}
        apiKeyFromServer={apiKeyFromServer}
        apiKey={apiKey}
        onApiKeyChange={setApiKey}
      />
      <MessageList messages={messages} pending={pending} />
      {error && <ErrorBox message={error} onDismiss={() => setError(null)} />}
      <Composer
        pending={pending}
        blockedReason={
          !apiKeyFromServer && apiKey.trim() === ''
            ? 'Enter the API key first: this API needs it (the dev stack\'s LiteLLM master key, or an Open WebUI API key).'
            : undefined
        }
        onSend={send}
        onStop={() => abortRef.current?.abort()}
      />
    </div>
  );
}
