import { ChatPage } from './components/ChatPage';
import { getApiBaseUrl, getApiKeyFromServer } from './config';

export function App() {
  return <ChatPage apiBaseUrl={getApiBaseUrl()} apiKeyFromServer={getApiKeyFromServer()} />;
}
