import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { Providers } from './app/Providers';
import { appShell } from './services/app-shell';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers>
      <App />
    </Providers>
  </StrictMode>,
);

// After load: the shell download (the ORT runtime is most of it) must not compete with first paint.
addEventListener('load', () => void appShell.register(), { once: true });
