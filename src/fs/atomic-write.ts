// Writing a file so that a reader sees all of it or none: a temporary file beside it, renamed into
// place, and removed again when anything fails. A path that names a device, a FIFO or a socket
// (/dev/stdout, /dev/null, a pipe) is written through instead: renaming over it would replace
// the device node, and a reader of a pipe sees a stream anyway.
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Names of this process's stdout and stderr. */
const STD_STREAM = /^\/(?:dev\/(stdout|stderr)|dev\/fd\/([12])|proc\/self\/fd\/([12]))$/;

/** Whether `path` exists and is something other than a regular file or a directory. */
async function isSpecial(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  return st !== undefined && !st.isFile() && !st.isDirectory();
}

/**
 * Writes `data` to `path` atomically. `tempDir` (same file system as `path`) holds the temporary
 * file when the directory of `path` should not (a cache's own tmp/); default beside `path`.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { tempDir?: string } = {},
): Promise<void> {
  if (await isSpecial(path)) {
    // This process's own stdout or stderr may be a socket (as Node's child processes get),
    // which open() refuses (ENXIO): those go through the stream itself.
    const std = STD_STREAM.exec(path);
    if (std) {
      const stream = std.slice(1).some((g) => g === 'stderr' || g === '2') ? process.stderr : process.stdout;
      await new Promise<void>((resolve, reject) => stream.write(data, (e) => (e ? reject(e) : resolve())));
      return;
    }
    await writeFile(path, data);
    return;
  }
  const temp = join(
    opts.tempDir ?? dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
