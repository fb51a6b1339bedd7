export interface SettingsProps {
  model: string;
  onModelChange: (model: string) => void;
  apiKey: string;
  onApiKeyChange: (apiKey: string) => void;
}

export function Settings({ model, onModelChange, apiKey, onApiKeyChange }: SettingsProps) {
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
      <label>
        API key (optional)
        <input
          name="apiKey"
          type="password"
          autoComplete="off"
          placeholder="sent as Authorization: Bearer"
          value={apiKey}
          onChange={(event) => onApiKeyChange(event.target.value)}
        />
      </label>
    </fieldset>
  );
}
