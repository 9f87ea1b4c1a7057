// One Transport per options object, so consecutive pulls and pushes with the same options share
// connections and cached tokens without the caller managing a client.
import type { RegistryOptions } from './options.ts';
import { Transport } from './transport.ts';

const transports = new WeakMap<RegistryOptions, Transport>();

export function transportFor(options: RegistryOptions): Transport {
  let t = transports.get(options);
  if (!t) {
    t = new Transport(options);
    transports.set(options, t);
  }
  return t;
}

/** Closes the connections of the shared transport of `options` (end of a build, tests). */
export async function closeTransport(options: RegistryOptions): Promise<void> {
  const t = transports.get(options);
  transports.delete(options);
  await t?.close();
}
