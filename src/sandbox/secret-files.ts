// Secret mounts get a private copy with the requested owner and mode, in a 0700 directory on a
// tmpfs when there is one, removed right after the RUN; the secret itself is never logged.
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretMount } from './types.ts';

export class SecretFiles {
  private dir: string | undefined;
  private count = 0;

  /** A host file holding the secret with the owner and mode it must have inside the sandbox. */
  async prepare(m: SecretMount): Promise<string> {
    if (!this.dir) {
      const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
      this.dir = await mkdtemp(join(base, 'kaniko-ts-secrets-'));
    }
    const file = join(this.dir, String(this.count++));
    await copyFile(m.source, file);
    await chown(file, m.uid ?? 0, m.gid ?? 0);
    await chmod(file, m.mode ?? 0o400);
    return file;
  }

  async cleanup(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
