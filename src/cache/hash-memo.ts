// Content hashes remembered between builds in a local cache directory, keyed by what changes
// whenever bytes do (inode, size, modification and change times), as git's index and BuildKit's
// content-hash cache do. Two levels: a whole source tree by the digest of its find listing (an
// unchanged tree costs one find and no parsing), and single files by their stamp (a changed tree
// re-reads only the files that changed). Nothing changed in the last seconds is remembered: a
// write within the same timestamp tick could otherwise go unseen.
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';

const RECENT_MS = 2000;

function parse(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  // One entry a line: key NUL value (NUL never occurs in a path).
  for (const line of text.split('\n')) {
    const nul = line.indexOf('\0');
    if (nul > 0) entries.set(line.slice(0, nul), line.slice(nul + 1));
  }
  return entries;
}

function serialise(entries: Map<string, string>): string {
  let text = '';
  for (const [k, v] of entries) if (!k.includes('\n')) text += `${k}\0${v}\n`;
  return text;
}

export class HashMemo {
  private readonly file: string;
  private readonly trees: Map<string, string>;
  /** Loaded on first use: an unchanged tree never needs it. */
  private files: Map<string, string> | undefined;
  private treesChanged = false;
  private filesChanged = false;
  private readonly recentMs: number;

  private constructor(file: string, trees: Map<string, string>, recentMs: number) {
    this.file = file;
    this.trees = trees;
    this.recentMs = recentMs;
  }

  /** The memo stored at `file` (trees) and `file.files`, or an empty one (absent or unreadable). */
  static async load(file: string, opts: { recentMs?: number } = {}): Promise<HashMemo> {
    const text = await readFile(file, 'utf8').catch(() => '');
    return new HashMemo(file, parse(text), opts.recentMs ?? RECENT_MS);
  }

  private fileEntries(): Map<string, string> {
    if (!this.files) {
      let text = '';
      try {
        text = readFileSync(`${this.file}.files`, 'utf8');
      } catch {
        // none yet
      }
      this.files = parse(text);
    }
    return this.files;
  }

  /** The remembered hash of a whole tree by the digest of its listing. */
  tree(listingKey: string): string | undefined {
    return this.trees.get(listingKey);
  }

  rememberTree(listingKey: string, newestChangeMs: number, hash: string, now = Date.now()): void {
    if (now - newestChangeMs < this.recentMs) return;
    this.trees.set(listingKey, hash);
    this.treesChanged = true;
  }

  /** The remembered sha256 (hex) of the file at `path` with this stamp, if any. */
  lookup(path: string, stamp: string): string | undefined {
    const v = this.fileEntries().get(path);
    return v?.startsWith(`${stamp}=`) ? v.slice(stamp.length + 1) : undefined;
  }

  /** Remembers a hash, unless the file changed so recently that a same-tick write could hide. */
  remember(path: string, stamp: string, changedMs: number, hash: string, now = Date.now()): void {
    if (now - changedMs < this.recentMs) return;
    this.fileEntries().set(path, `${stamp}=${hash}`);
    this.filesChanged = true;
  }

  /** Writes what changed (temporary file + rename: concurrent builds never see half a file). */
  async save(): Promise<void> {
    const writes: Array<[string, Map<string, string>]> = [];
    if (this.treesChanged) writes.push([this.file, this.trees]);
    if (this.filesChanged && this.files) writes.push([`${this.file}.files`, this.files]);
    if (writes.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    for (const [path, entries] of writes) {
      await writeFileAtomic(path, serialise(entries));
    }
    this.treesChanged = false;
    this.filesChanged = false;
  }
}
