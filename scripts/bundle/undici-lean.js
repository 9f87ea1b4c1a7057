// What kaniko-ts's own modules take from undici, without undici/index.js: that entry also loads
// fetch, WebSocket, EventSource, the mock agents and the HTTP caches, about 20 ms of every start
// of the bundled executor. The bundler points src/'s `import ... from 'undici'` here; the
// TypeScript sources (and any dependency) keep the whole package.
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import { getGlobalDispatcher } from 'undici/lib/global.js';
import redirect from 'undici/lib/interceptor/redirect.js';

// As undici/index.js does: request() and friends are methods of every dispatcher.
Object.assign(Dispatcher.prototype, api);

export { Agent, EnvHttpProxyAgent };
export const interceptors = { redirect };

/** undici's top-level request(url, options): the options' dispatcher (or the global one) asked. */
export function request(url, opts = {}) {
  const u = url instanceof URL ? url : new URL(String(url));
  const { dispatcher = getGlobalDispatcher(), ...rest } = opts;
  return dispatcher.request({
    ...rest,
    origin: u.origin,
    path: u.search ? `${u.pathname}${u.search}` : u.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET'),
  });
}
