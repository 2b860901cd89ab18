import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../../util/package-root.js';

/**
 * The dashboard at `/`: three static files, plain HTML/CSS/JS, read once at start-up and served from
 * memory (no build step, no file access per request). The shell holds no data: everything it shows
 * comes from /api/profiles and /api/events, with the token when one is configured.
 */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
};

/** Where the files live: beside this module's source, found from dist/ too. */
export function dashboardDir(): string {
  return join(packageRoot(import.meta.url), 'src', 'gateway', 'http', 'dashboard');
}

/** The page may talk to its own origin only and may not be framed (the PTT release is a button). */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function dashboardPlugin(app: FastifyInstance): Promise<void> {
  const dir = dashboardDir();
  for (const [route, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(join(dir, file));
    // The reply is a Buffer, sent as is; the schema documents it (fastify serialises only objects).
    app.get(route, { schema: { response: { 200: { type: 'string' } } } }, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('referrer-policy', 'no-referrer')
        .send(body),
    );
  }
}
