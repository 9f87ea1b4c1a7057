// A plain forward HTTP proxy, as HTTP_PROXY names it: absolute-form requests
// (`GET http://host:port/path`) are forwarded to their target and recorded; CONNECT is tunnelled
// as-is and recorded apart (HTTPS attempts go through it), so a test can tell what went where.
import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ProxiedRequest {
  method: string;
  /** The absolute URL the client asked for. */
  url: string;
  status: number;
}

export interface ForwardProxy {
  /** http://127.0.0.1:port, a value for HTTP_PROXY. */
  readonly url: string;
  /** Absolute-form requests forwarded, in arrival order. */
  readonly requests: ProxiedRequest[];
  /** host:port targets of CONNECT tunnels. */
  readonly tunnels: string[];
  stop(): Promise<void>;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const tunnels: string[] = [];
  // Tunnelled sockets leave the HTTP server's bookkeeping, so stop() closes them itself.
  const open = new Set<Duplex>();
  const server = createServer((req, res) => {
    const seen: ProxiedRequest = { method: req.method ?? '', url: req.url ?? '', status: 0 };
    requests.push(seen);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      // An origin-form request means the client did not treat us as a proxy.
      seen.status = 400;
      res.writeHead(400).end('forward proxy: absolute-form request expected\n');
      return;
    }
    const up = httpRequest(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers,
      },
      (upRes) => {
        seen.status = upRes.statusCode ?? 0;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  });
  server.on('connect', (req, client, head) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const { hostname, port } = new URL(`http://${target}`);
    const upstream = connect(Number(port || 443), hostname.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tunnels,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
