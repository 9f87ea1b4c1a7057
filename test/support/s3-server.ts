// s3rver (npm) on 127.0.0.1 with a free port, path-style, one bucket made at start. Its fixed
// credentials are S3RVER / S3RVER; anything else is refused with 403.
// The endpoint names the host `localhost`, not the IP: the AWS SDK addresses an IP path-style
// whatever it is told, but a host name virtual-host style (BUCKET.localhost) unless
// forcePathStyle is set, so S3_FORCE_PATH_STYLE only matters (and is only tested) with a name.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Daemon, startDaemon } from './daemon.ts';
import { freePort } from './ports.ts';

const BIN = new URL('../../node_modules/s3rver/bin/s3rver.js', import.meta.url).pathname;

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Server {
  /** http://localhost:PORT, for S3_ENDPOINT (needs S3_FORCE_PATH_STYLE=true). */
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
      endpoint: `http://localhost:${port}`,
      async stop() {
        await d.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
