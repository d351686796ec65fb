import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONSOLE_HTML } from './console-assets/page.js';
import { CONSOLE_JS } from './console-assets/script.js';
import { CONSOLE_CSS } from './console-assets/style.js';

/**
 * The page may load only its own script and stylesheet and talk only to this origin: merchant
 * strings are shown on it, so even a rendering slip could not run or send anything.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface Asset {
  type: string;
  body: string;
  /** The HTML is never cached (it decides which script runs); the assets may be, briefly. */
  cacheControl: string;
}

const ASSETS: Record<'page' | 'script' | 'style', Asset> = {
  page: { type: 'text/html; charset=utf-8', body: CONSOLE_HTML, cacheControl: 'no-store' },
  script: { type: 'text/javascript; charset=utf-8', body: CONSOLE_JS, cacheControl: 'no-cache' },
  style: { type: 'text/css; charset=utf-8', body: CONSOLE_CSS, cacheControl: 'no-cache' },
};

function sendAsset(reply: FastifyReply, asset: Asset) {
  return reply
    .status(200)
    .header('content-type', asset.type)
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', asset.cacheControl)
    .send(asset.body);
}

/**
 * The browser console at /console: static HTML, CSS and JS with no token needed to load them;
 * every piece of data comes from the token-protected /admin API the script calls.
 */
export function registerConsole(app: FastifyInstance): void {
  app.get('/console', async (_req, reply) => sendAsset(reply, ASSETS.page));
  app.get('/console/', async (_req, reply) => sendAsset(reply, ASSETS.page));
  app.get('/console/console.js', async (_req, reply) => sendAsset(reply, ASSETS.script));
  app.get('/console/console.css', async (_req, reply) => sendAsset(reply, ASSETS.style));
}
