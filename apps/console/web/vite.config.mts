import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's pages, built into dist/console-web (served by apps/console). JSX is compiled by
 * Vite's own Oxc transform (React's automatic runtime): @vitejs/plugin-react would add Fast
 * Refresh for a dev server we do not run, and its peer range conflicts with this tree's Babel.
 */
const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(here, '../../../dist/console-web'),
    emptyOutDir: true,
    // echarts alone is ≈ 600 kB minified even tree-shaken; one page app, loaded once.
    chunkSizeWarningLimit: 1500,
  },
});
