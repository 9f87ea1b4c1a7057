// File content hashes remembered between builds in a local cache directory, keyed by what
// changes whenever a file's bytes do (inode, size, modification and change times), as git's
// index and BuildKit's content-hash cache do. A warm build then stats the context instead of
// reading it. Files changed in the last seconds are not remembered: a write within the same
// timestamp tick could otherwise go unseen.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const RECENT_MS = 2000;

export class HashMemo {
  private readonly file: string;
  private readonly entries: Map<string, string>;
  private changed = false;
  private readonly recentMs: number;

  private constructor(file: string, entries: Map<string, string>, recentMs: number) {
    this.file = file;
    this.entries = entries;
    this.recentMs = recentMs;
  }

  /** The memo stored at `file`, or an empty one (absent or unreadable). */
  static async load(file: string, opts: { recentMs?: number } = {}): Promise<HashMemo> {
    const entries = new Map<string, string>();
    const text = await readFile(file, 'utf8').catch(() => '');
    // One entry a line: path NUL stamp+hash (NUL never occurs in a path).
    for (const line of text.split('\n')) {
      const nul = line.indexOf('\0');
      if (nul > 0) entries.set(line.slice(0, nul), line.slice(nul + 1));
    }
    return new HashMemo(file, entries, opts.recentMs ?? RECENT_MS);
  }

  /** The remembered sha256 (hex) of the file at `path` with this stamp, if any. */
  lookup(path: string, stamp: string): string | undefined {
    const v = this.entries.get(path);
    return v?.startsWith(`${stamp}=`) ? v.slice(stamp.length + 1) : undefined;
  }

  /** Remembers a hash, unless the file changed so recently that a same-tick write could hide. */
  remember(path: string, stamp: string, changedMs: number, hash: string, now = Date.now()): void {
    if (now - changedMs < this.recentMs) return;
    this.entries.set(path, `${stamp}=${hash}`);
    this.changed = true;
  }

  /** Writes the memo if it changed (temporary file + rename: concurrent builds never see half). */
  async save(): Promise<void> {
    if (!this.changed) return;
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    let text = '';
    for (const [path, v] of this.entries) if (!path.includes('\n')) text += `${path}\0${v}\n`;
    await writeFile(tmp, text);
    await rename(tmp, this.file);
    this.changed = false;
  }
}
