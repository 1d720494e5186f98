import { Inspector } from './Inspector.js';

const root = document.getElementById('app')!;
Inspector.start(root).catch((err: unknown) => {
  root.textContent = `The inspector could not start: ${err instanceof Error ? err.message : String(err)}`;
  root.setAttribute('aria-busy', 'false');
});
