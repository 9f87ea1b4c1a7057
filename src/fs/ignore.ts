// Paths the snapshotter never walks or records (and extraction may skip), as kaniko does.
import { posix } from 'node:path';

export interface DefaultIgnoreOptions {
  /** The builder's own directory inside the root (kaniko's /kaniko). */
  builderDir?: string;
  /** kaniko's --ignore-var-run (its default is true). */
  ignoreVarRun?: boolean;
  /** --ignore-path values. */
  extra?: readonly string[];
}

/** kaniko's defaults: kernel filesystems, files the runtime bind-mounts, the builder itself. */
export function defaultIgnorePaths(opts: DefaultIgnoreOptions = {}): string[] {
  const paths = ['/proc', '/sys', '/dev', '/etc/hosts', '/etc/resolv.conf', '/etc/hostname', '/etc/mtab'];
  if (opts.builderDir) paths.push(opts.builderDir);
  if (opts.ignoreVarRun) paths.push('/var/run', '/run');
  paths.push(...(opts.extra ?? []));
  return paths;
}

export class IgnoreList {
  readonly #paths = new Set<string>();

  constructor(paths: Iterable<string> = []) {
    for (const p of paths) this.add(p);
  }

  /** Adds an image path (mount targets, secrets...). */
  add(path: string): void {
    const p = posix.normalize(`/${path}`).replace(/\/+$/, '');
    if (p) this.#paths.add(p);
  }

  delete(path: string): void {
    this.#paths.delete(posix.normalize(`/${path}`).replace(/\/+$/, ''));
  }

  /** True for an ignored path itself (cheap; the walk never descends into ignored dirs). */
  isIgnoredExactly(path: string): boolean {
    return this.#paths.has(path);
  }

  /** True for an ignored path or anything under it. */
  has(path: string): boolean {
    if (this.#paths.size === 0) return false;
    for (let p = path; p.length > 0; p = p.slice(0, p.lastIndexOf('/'))) if (this.#paths.has(p)) return true;
    return false;
  }

  get paths(): string[] {
    return [...this.#paths].sort();
  }
}
