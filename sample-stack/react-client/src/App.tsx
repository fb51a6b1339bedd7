import { ChatPage } from './components/ChatPage';
import { getApiBaseUrl } from './config';

export function App() {
  return <ChatPage apiBaseUrl={getApiBaseUrl()} />;
}
