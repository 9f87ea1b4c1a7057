// The bench's own file system: a fresh journaled ext4 in a sparse file, loop-mounted over the
// work directory for one bench run. This machine's / is ext4 without a journal, where every
// create scans recently freed inodes (recently_deleted() in the inode allocator, skipped when a
// journal exists), so after one builder deletes its state the next one's file creates cost
// several times more kernel time. On a file system of its own every builder meets the same
// disk, and the ratios measure the builders.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface ScratchFs {
  /** Where the file system is mounted. */
  dir: string;
  /** One line for RESULTS.md: what the builders wrote to. */
  describe: string;
  close(): Promise<void>;
}

/** Mounts a new ext4 (with a journal, the mkfs default) of `sizeGb` over `dir`. */
export async function mountScratchFs(dir: string, image: string, sizeGb = 64): Promise<ScratchFs> {
  await rm(image, { force: true });
  await exec('truncate', ['-s', `${sizeGb}G`, image]);
  await exec('mkfs.ext4', ['-q', '-F', '-O', 'has_journal', image]);
  await mkdir(dir, { recursive: true });
  try {
    await exec('mount', ['-o', 'loop', image, dir]);
  } catch (e) {
    await rm(image, { force: true });
    throw e;
  }
  return {
    dir,
    describe: `a fresh journaled ext4 (${sizeGb} GB sparse file, loop-mounted) holding every builder's state`,
    async close() {
      await exec('umount', ['-l', dir]).catch(() => undefined);
      await rm(image, { force: true });
    },
  };
}
