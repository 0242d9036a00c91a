import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { DeskTools } from './DeskTools.js';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App toolbarSlot={<DeskTools />} />
  </StrictMode>,
);
