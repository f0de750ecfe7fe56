import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../../src/project-root.js';

const HERE = path.join(PROJECT_ROOT, 'test/support/admin-app');

/** The Admin app in one file, bundled from node_modules by esbuild (nothing from a CDN), as a deployment ships it. */
export async function bundleAdminApp(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(HERE, 'main.jsx')],
    bundle: true,
    write: false,
    format: 'iife',
    jsx: 'automatic',
    minify: true,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export interface AdminApp {
  base: string;
  close(): Promise<void>;
}

/**
 * Serves index.html, the bundle and its settings from a node:http server of its own on another
 * 127.0.0.1 port, so the app is cross-origin to the API as a real deployment is.
 */
export async function serveAdminApp(bundle: string, settings: { entrypoint: string; token: string }): Promise<AdminApp> {
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', readFileSync(path.join(HERE, 'index.html'), 'utf8')],
    '/admin.js': ['text/javascript; charset=utf-8', bundle],
    '/config.js': ['text/javascript; charset=utf-8', `window.LINKED_ORGS = ${JSON.stringify(settings)};`],
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file[0], 'Cache-Control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
