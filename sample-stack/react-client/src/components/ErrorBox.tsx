export interface ErrorBoxProps {
  message: string;
  onDismiss: () => void;
}

export function ErrorBox({ message, onDismiss }: ErrorBoxProps) {
  return (
    <div className="error-box" role="alert">
      <strong>Request failed.</strong> <span className="error-message">{message}</span>
      <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
