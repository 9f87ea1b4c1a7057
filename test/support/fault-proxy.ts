// An HTTP proxy in front of a real registry that counts requests and injects faults on demand:
// canned answers (500, 429 + Retry-After, a schema1 manifest), a connection cut after N bytes
// of a response or a request body, and a flipped byte in a response body.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Status sent back (0 when the connection was cut before headers). */
  status: number;
  /** When the request arrived (performance.now()), to measure a client's wait between retries. */
  at: number;
}

export type FaultAction =
  /** Answer this instead of forwarding. */
  | { respond: { status: number; headers?: Record<string, string>; body?: string | Buffer } }
  /** Forward, then cut the connection after this many bytes of the response body. */
  | { cutResponseAfter: number }
  /** Forward, but cut the connection once this many bytes of the request body went through. */
  | { cutRequestAfter: number }
  /** Forward, flipping the bits of the response body byte at this offset. */
  | { corruptAt: number };

export interface Fault {
  method?: string;
  /** Matched against the path with query. */
  path: RegExp;
  /** How many matching requests get the fault (default: all). */
  times?: number;
  action: FaultAction;
}

export interface FaultProxy {
  /** host:port of the proxy (use it in image references). */
  readonly host: string;
  readonly url: string;
  readonly requests: SeenRequest[];
  /** TCP connections accepted since the start or the last clear(). */
  readonly connections: number;
  /** Requests seen matching method and path. */
  count(method: string, path: RegExp): number;
  addFault(f: Fault): void;
  clear(): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const requests: SeenRequest[] = [];
  let faults: Array<Fault & { left: number }> = [];

  function takeFault(req: IncomingMessage): FaultAction | undefined {
    for (const f of faults) {
      if (f.left <= 0) continue;
      if (f.method && f.method !== req.method) continue;
      if (!f.path.test(req.url ?? '')) continue;
      f.left--;
      return f.action;
    }
    return undefined;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      status: 0,
      at: performance.now(),
    };
    requests.push(seen);
    const fault = takeFault(req);
    if (fault && 'respond' in fault) {
      req.resume();
      req.on('end', () => {
        seen.status = fault.respond.status;
        res.writeHead(fault.respond.status, fault.respond.headers ?? {});
        res.end(fault.respond.body ?? '');
      });
      return;
    }
    const up = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // The Host header is kept, so the registry's Location headers point back at the proxy.
        headers: req.headers,
      },
      (upRes) => {
        seen.status = upRes.statusCode ?? 0;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        let sent = 0;
        let cut = false;
        upRes.on('data', (chunk: Buffer) => {
          if (cut) return;
          let out = chunk;
          if (
            fault &&
            'corruptAt' in fault &&
            fault.corruptAt >= sent &&
            fault.corruptAt < sent + chunk.length
          ) {
            out = Buffer.from(chunk);
            const i = fault.corruptAt - sent;
            out[i] = (out[i] ?? 0) ^ 0xff;
          }
          if (fault && 'cutResponseAfter' in fault && sent + out.length >= fault.cutResponseAfter) {
            cut = true;
            res.write(out.subarray(0, Math.max(0, fault.cutResponseAfter - sent)));
            upRes.destroy();
            res.socket?.destroy();
            return;
          }
          sent += out.length;
          res.write(out);
        });
        upRes.on('end', () => {
          if (!cut) res.end();
        });
      },
    );
    up.on('error', () => res.socket?.destroy());
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      if (fault && 'cutRequestAfter' in fault && received + chunk.length >= fault.cutRequestAfter) {
        up.destroy();
        req.socket.destroy();
        return;
      }
      received += chunk.length;
      up.write(chunk);
    });
    req.on('end', () => up.end());
  }

  const server = createServer(handle);
  let connections = 0;
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  return {
    host,
    url: `http://${host}`,
    requests,
    get connections() {
      return connections;
    },
    count: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)).length,
    addFault(f) {
      faults.push({ ...f, left: f.times ?? Number.POSITIVE_INFINITY });
    },
    clear() {
      faults = [];
      requests.length = 0;
      connections = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
