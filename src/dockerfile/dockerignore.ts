// .dockerignore with moby's rules (patternmatcher + ignorefile): Go filepath.Match syntax (`*`, `?`,
// `[a-z]`, `[^x]`, `\` escapes), `**` across directories, `!` exceptions where the last match wins,
// a path also matching when one of its parent directories does, leading `/` and `./` cleaned away.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export class DockerignoreError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'DockerignoreError';
    this.file = file;
    this.line = line;
  }
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Reads .dockerignore text into patterns (comments and blanks dropped, paths cleaned) as moby does. */
export function readDockerignore(text: string): string[] {
  const out: string[] = [];
  let lines = text.split('\n');
  if (lines[0]?.startsWith('\ufeff')) lines = [lines[0].slice(1), ...lines.slice(1)];
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push(invert ? '!' + pattern : pattern);
  }
  return out;
}

const SHOULD_ESCAPE = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Go filepath.Match's syntax check (ErrBadPattern): unclosed classes, empty classes, trailing `\`. */
function checkSyntax(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '\\') {
      if (i + 1 >= p.length) return false;
      i++;
    } else if (ch === '[') {
      i++;
      if (p[i] === '^') i++;
      let items = 0;
      for (;;) {
        if (i >= p.length) return false;
        if (p[i] === ']' && items > 0) break;
        let lo = p[i];
        if (lo === '\\') {
          i++;
          lo = p[i];
          if (lo === undefined) return false;
        }
        i++;
        if (p[i] === '-') {
          i++;
          let hi = p[i];
          if (hi === undefined || hi === ']') return false;
          if (hi === '\\') {
            i++;
            hi = p[i];
            if (hi === undefined) return false;
          }
          if (hi < lo!) return false;
          i++;
        }
        items++;
      }
    } else if (ch === ']') {
      // a stray ']' is literal for filepath.Match
    }
  }
  return true;
}

function compile(pattern: string): RegExp {
  let re = '^';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        re += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (SHOULD_ESCAPE.has(ch)) re += '\\' + ch;
    else if (ch === '\\') {
      if (i + 1 < chars.length) {
        i++;
        re += '\\' + chars[i];
      } else re += '\\\\';
    } else re += ch;
  }
  return new RegExp(re + '$');
}

interface Pattern {
  exclusion: boolean;
  cleaned: string;
  dirs: string[];
  regex: RegExp;
}

export class IgnoreMatcher {
  readonly patterns: readonly string[];
  private readonly compiled: Pattern[];
  readonly hasExclusions: boolean;

  /** `patterns` as readDockerignore returns them; throws on malformed patterns. */
  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    this.compiled = [];
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw new Error('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
      }
      if (!checkSyntax(p)) throw new Error(`syntax error in pattern: ${JSON.stringify(p)}`);
      let regex: RegExp;
      try {
        regex = compile(p);
      } catch {
        throw new Error(`syntax error in pattern: ${JSON.stringify(p)}`);
      }
      this.compiled.push({ exclusion, cleaned: p, dirs: p.split('/'), regex });
    }
    this.hasExclusions = this.compiled.some((p) => p.exclusion);
  }

  /** Whether a context-relative path (`a/b/c`, forward slashes) is ignored. */
  matches(file: string): boolean {
    const f = cleanPath(file.replace(/^\/+/, ''));
    const slash = f.lastIndexOf('/');
    const parent = slash < 0 ? '.' : f.slice(0, slash);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const p of this.compiled) {
      if (p.exclusion !== matched) continue;
      let match = p.regex.test(f);
      if (!match && parent !== '.') {
        for (let i = 0; i < parentDirs.length && !match; i++)
          match = p.regex.test(parentDirs.slice(0, i + 1).join('/'));
      }
      if (match) matched = !p.exclusion;
    }
    return matched;
  }

  /**
   * Whether a directory walker may skip `dir` and everything under it: the directory is ignored and
   * no `!` exception could re-include anything below it.
   */
  canSkipDir(dir: string): boolean {
    if (!this.matches(dir)) return false;
    const parts = cleanPath(dir.replace(/^\/+/, '')).split('/');
    for (const p of this.compiled) {
      if (!p.exclusion) continue;
      if (p.cleaned.includes('**')) return false;
      if (p.dirs.length <= parts.length) continue;
      let prefixMatches = true;
      for (let i = 0; i < parts.length && prefixMatches; i++)
        prefixMatches = compile(p.dirs[i]!).test(parts[i]!);
      if (prefixMatches) return false;
    }
    return true;
  }
}

export interface LoadedDockerignore {
  /** The file that was read, or undefined when none exists. */
  path?: string;
  patterns: string[];
  matcher: IgnoreMatcher;
}

/**
 * Loads the ignore file for a build: `<Dockerfile>.dockerignore` beside the Dockerfile when it
 * exists, else `.dockerignore` at the context root. `dockerfile` may be absolute or context-relative.
 */
export async function loadDockerignore(contextDir: string, dockerfile?: string): Promise<LoadedDockerignore> {
  const candidates: string[] = [];
  if (dockerfile) candidates.push(path.resolve(contextDir, dockerfile) + '.dockerignore');
  candidates.push(path.join(contextDir, '.dockerignore'));
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
        continue;
      throw e;
    }
    const patterns = readDockerignore(text);
    try {
      return { path: file, patterns, matcher: new IgnoreMatcher(patterns) };
    } catch (e) {
      const idx = findPatternLine(text, (e as Error).message);
      throw new DockerignoreError(file, idx, (e as Error).message);
    }
  }
  return { patterns: [], matcher: new IgnoreMatcher([]) };
}

/** Best-effort line number of the pattern named in a matcher error (1 when unknown). */
function findPatternLine(text: string, message: string): number {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim().replace(/^!\s*/, '');
    if (
      t !== '' &&
      !lines[i]!.startsWith('#') &&
      message.includes(JSON.stringify(cleanPath(t).replace(/^\/(?=.)/, '')))
    )
      return i + 1;
  }
  return 1;
}
