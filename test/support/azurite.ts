// Azurite's blob service (npm) on 127.0.0.1 with a free port, in memory. Its account is the
// emulator's documented development account (devstoreaccount1 and its published key).
import { type Daemon, startDaemon } from './daemon.ts';
import { freePort } from './ports.ts';

const BIN = new URL('../../node_modules/azurite/dist/src/blob/main.js', import.meta.url).pathname;

export const AZURITE_ACCOUNT = 'devstoreaccount1';
/** Azurite's published development key (not a secret). */
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** http://127.0.0.1:PORT/devstoreaccount1 */
  blobEndpoint: string;
  /** A connection string for this endpoint, with `key` (default the right one). */
  connectionString(key?: string): string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    let d: Daemon;
    try {
      d = await startDaemon(
        process.execPath,
        [
          BIN,
          '--blobHost',
          '127.0.0.1',
          '--blobPort',
          String(port),
          '--inMemoryPersistence',
          '--skipApiVersionCheck',
          '--disableProductStyleUrl',
        ],
        { ready: /successfully listens on/i },
      );
    } catch (e) {
      if (attempt < 3) continue;
      throw e;
    }
    const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
    return {
      blobEndpoint,
      connectionString: (key = AZURITE_KEY) =>
        `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=${blobEndpoint};`,
      // Azurite's graceful shutdown can take minutes; in memory there is nothing to keep.
      async stop() {
        d.process.kill('SIGKILL');
        await d.stop();
      },
    };
  }
}
