export interface SettingsProps {
  model: string;
  onModelChange: (model: string) => void;
  /** The server in front of the API adds the key (config.js says so): no field then. */
  apiKeyFromServer: boolean;
  apiKey: string;
  onApiKeyChange: (apiKey: string) => void;
}

export function Settings({ model, onModelChange, apiKeyFromServer, apiKey, onApiKeyChange }: SettingsProps) {
  return (
    <fieldset className="settings">
      <legend className="visually-hidden">Request settings</legend>
      <label>
        Model
        <input
          name="model"
          value={model}
          onChange={(event) => onModelChange(event.target.value)}
          spellCheck={false}
        />
      </label>
      {apiKeyFromServer ? (
        <p className="api-key-note" data-testid="api-key-note">
          API key: added by the page&apos;s server
        </p>
      ) : (
        <label>
          API key
          <input
            name="apiKey"
            type="password"
            autoComplete="off"
            required
            aria-required="true"
            placeholder="sent as Authorization: Bearer"
            value={apiKey}
            onChange={(event) => onApiKeyChange(event.target.value)}
          />
        </label>
      )}
    </fieldset>
  );
}
