import { useEffect, useRef } from 'react';
import type { ChatMessage } from '../chatClient';

export interface MessageListProps {
  messages: ChatMessage[];
  pending: boolean;
}

const LABELS: Record<ChatMessage['role'], string> = {
  user: 'You',
  assistant: 'Assistant',
  system: 'System',
};

export function MessageList({ messages, pending }: MessageListProps) {
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages]);

  if (messages.length === 0) {
    return (
      <p className="empty-conversation">Ask something below; the reply streams in here.</p>
    );
  }

  return (
    <ol className="message-list" ref={listRef} aria-label="Conversation" aria-live="polite">
      {messages.map((message, index) => {
        const streaming = pending && index === messages.length - 1 && message.role === 'assistant';
        return (
          <li
            key={index}
            className={`message message--${message.role}`}
            data-testid={`message-${message.role}`}
            aria-busy={streaming || undefined}
          >
            <span className="message-role">{LABELS[message.role]}</span>
            <div className="message-content">
              {message.content}
              {streaming && <span className="typing" aria-label="Assistant is typing">▍</span>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
