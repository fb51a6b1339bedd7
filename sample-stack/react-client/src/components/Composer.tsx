import { useState, type FormEvent, type KeyboardEvent } from 'react';

export interface ComposerProps {
  pending: boolean;
  /** Why nothing can be sent yet (shown under the prompt; Send stays disabled). */
  blockedReason?: string;
  onSend: (prompt: string) => void;
  onStop: () => void;
}

/** Prompt text area and Send button; Enter sends, Shift+Enter makes a new line. */
export function Composer({ pending, blockedReason, onSend, onStop }: ComposerProps) {
  const [prompt, setPrompt] = useState('');
  const canSend = !pending && !blockedReason && prompt.trim() !== '';

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(prompt.trim());
    setPrompt('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="prompt" className="visually-hidden">
        Prompt
      </label>
      <textarea
        id="prompt"
        name="prompt"
        rows={3}
        placeholder="Type a message… (Enter sends, Shift+Enter for a new line)"
        value={prompt}
        onChange={(event) => setPrompt(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {blockedReason && (
        <p className="composer-hint" data-testid="composer-hint">
          {blockedReason}
        </p>
      )}
      <div className="composer-actions">
        {pending && (
          <button type="button" className="secondary" onClick={onStop}>
            Stop
          </button>
        )}
        <button type="submit" disabled={!canSend}>
          {pending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}
