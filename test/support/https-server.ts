// A TLS file server on 127.0.0.1 with the rig's test CA: serves fixed paths, 403 for the paths
// marked forbidden, 404 for the rest.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { TestCA } from './tls.ts';

export interface HttpsFileServer {
  /** https://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

export async function startHttpsFileServer(
  ca: TestCA,
  files: Record<string, Buffer>,
  forbidden: readonly string[] = [],
): Promise<HttpsFileServer> {
  const [cert, key] = await Promise.all([readFile(ca.serverCert), readFile(ca.serverKey)]);
  const server = createServer({ cert, key }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    if (forbidden.includes(path)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden\n');
      return;
    }
    const body = files[path];
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      if (a && typeof a === 'object') resolve(a.port);
      else reject(new Error('no address'));
    });
  });
  return {
    url: `https://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
