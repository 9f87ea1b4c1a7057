// s3rver (npm) on 127.0.0.1 with a free port, path-style, one bucket made at start. Its fixed
// credentials are S3RVER / S3RVER; anything else is refused with 403.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Daemon, startDaemon } from './daemon.ts';
import { freePort } from './ports.ts';

const BIN = new URL('../../node_modules/s3rver/bin/s3rver.js', import.meta.url).pathname;

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Server {
  /** http://127.0.0.1:PORT, for S3_ENDPOINT. */
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3Server(bucket: string): Promise<S3Server> {
  const dir = await mkdtemp(join(tmpdir(), 'kts-s3rver-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    let d: Daemon;
    try {
      d = await startDaemon(
        process.execPath,
        [
          BIN,
          '-d',
          dir,
          '-a',
          '127.0.0.1',
          '-p',
          String(port),
          '--no-vhost-buckets',
          '--configure-bucket',
          bucket,
        ],
        { ready: /S3rver listening|listening on/i },
      );
    } catch (e) {
      if (attempt < 3) continue;
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    return {
      endpoint: `http://127.0.0.1:${port}`,
      async stop() {
        await d.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
