import { buildPage } from './lib/browser-page';
await buildPage();
