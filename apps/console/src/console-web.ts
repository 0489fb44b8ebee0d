import { resolve } from 'node:path';

/** Where `npm run build` puts the Vite build of apps/console/web: dist/console-web, beside dist/apps. */
export const CONSOLE_WEB_DIR = resolve(__dirname, '../../../console-web');
