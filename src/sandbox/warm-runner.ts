// One sandbox per stage instead of one per RUN: bubblewrap is started once with the stage's root
// as `/`, running the runner program (runner-program.ts) on this very Node binary, whose loader
// and libraries are bound into the sandbox's private /dev so nothing of the image is used or
// touched. Each plain RUN (no mounts, default network, no supplementary groups) is then a fork and
// exec inside it. Commands that need their own mounts still get a sandbox of their own.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DEFAULT_CAPABILITIES } from './capabilities.ts';
import { SandboxError } from './errors.ts';
import type { MountPoints } from './mountpoints.ts';
import { endMarker, type RunnerRequest, type RunnerResult } from './runner-program.ts';
import type { RunResult, RunSpec } from './types.ts';
import { withDefaultPath } from './types.ts';

const KTS = '/dev/.kts';

/**
 * The runner's own file beside this module: the TypeScript source in a checkout, or the
 * `runner-program.mjs` a JavaScript bundle ships next to itself (a separate entry point).
 */
function runnerSource(): string | undefined {
  for (const name of ['./runner-program.ts', './runner-program.mjs']) {
    try {
      const url = new URL(name, import.meta.url);
      if (url.protocol === 'file:' && existsSync(url)) return url.pathname;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The single executable is its own runner (its entry dispatches on KANIKO_TS_SANDBOX_RUNNER). */
function isSingleExecutable(): boolean {
  const sea = process.getBuiltinModule('node:sea') as { isSea(): boolean } | undefined;
  return sea?.isSea() ?? false;
}

/**
 * How this process can start a runner: the single executable runs itself, a source checkout runs
 * the runner's file; anything else (a plain JavaScript bundle) has no runner, and RUNs get a
 * sandbox each.
 */
let runnerHow: { script: string | undefined } | null | undefined;
function runnerProgram(): { script: string | undefined } | null {
  if (runnerHow === undefined) {
    const source = runnerSource();
    runnerHow = isSingleExecutable() ? { script: undefined } : source ? { script: source } : null;
  }
  return runnerHow;
}

/** This process's executable, dynamic loader and shared libraries, from its own memory map. */
function ownBinaries(): { loader: string | undefined; libs: string[] } {
  const libs = new Set<string>();
  let loader: string | undefined;
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const path = line.slice(line.indexOf('/'));
    if (!line.includes('/') || !/\.so(\.|$)/.test(path)) continue;
    if (/\/ld-(linux|musl)[^/]*$/.test(path)) loader = path;
    else libs.add(path);
  }
  return { loader, libs: [...libs] };
}

/** Whether a RUN can go to a warm runner (else it gets a sandbox of its own). */
export function warmEligible(spec: RunSpec): boolean {
  return (
    spec.keepWarm === true &&
    runnerProgram() !== null &&
    spec.mounts.length === 0 &&
    spec.network === 'default' &&
    spec.security !== 'insecure' &&
    (spec.user.groups?.length ?? 0) === 0 &&
    spec.hostsFile === undefined &&
    spec.resolvConf === undefined &&
    process.env.KANIKO_TS_WARM_RUNNER !== '0'
  );
}

interface Pending {
  id: number;
  spec: RunSpec;
  result?: RunnerResult;
  ends: number;
  resolve: (r: RunResult) => void;
}

/** Copies a stream to the current command's stream up to that command's end marker. */
class Demux {
  #carry = Buffer.alloc(0);
  readonly #pick: (p: Pending) => Writable;
  readonly #current: () => Pending | undefined;
  readonly #onEnd: () => void;

  constructor(
    source: Readable,
    pick: (p: Pending) => Writable,
    current: () => Pending | undefined,
    onEnd: () => void,
  ) {
    this.#pick = pick;
    this.#current = current;
    this.#onEnd = onEnd;
    source.on('data', (b: Buffer) => this.#feed(b));
  }

  #feed(chunk: Buffer): void {
    let data = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    this.#carry = Buffer.alloc(0);
    for (;;) {
      const p = this.#current();
      if (!p) return;
      const marker = Buffer.from(endMarker(p.id));
      const at = data.indexOf(marker);
      if (at >= 0) {
        if (at > 0) this.#pick(p).write(data.subarray(0, at));
        data = data.subarray(at + marker.length);
        this.#onEnd();
        continue;
      }
      // Keep back what could be the start of a marker split across chunks.
      const nul = data.lastIndexOf(0);
      const keep = nul >= 0 && data.length - nul < marker.length ? data.length - nul : 0;
      if (data.length - keep > 0) this.#pick(p).write(data.subarray(0, data.length - keep));
      this.#carry = Buffer.from(data.subarray(data.length - keep));
      return;
    }
  }
}

export class WarmRunner {
  readonly #child: ChildProcess;
  readonly #points: MountPoints;
  #nextId = 1;
  #pending: Pending | undefined;
  #dead: string | undefined;
  #closed: Promise<void>;

  private constructor(child: ChildProcess, points: MountPoints) {
    this.#child = child;
    this.#points = points;
    this.#closed = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.#dead = `the sandbox runner exited (${signal ?? code})`;
        const p = this.#pending;
        this.#pending = undefined;
        p?.resolve({ exitCode: 128 + 9, signal: 'SIGKILL' });
        resolve();
      });
    });
    let results = '';
    const fd3 = child.stdio[3] as Readable;
    fd3.on('data', (b: Buffer) => {
      results += b.toString('utf8');
      for (let nl = results.indexOf('\n'); nl >= 0; nl = results.indexOf('\n')) {
        const r = JSON.parse(results.slice(0, nl)) as RunnerResult;
        results = results.slice(nl + 1);
        if (this.#pending?.id === r.id) {
          this.#pending.result = r;
          this.#settle();
        }
      }
    });
    const onEnd = () => {
      if (this.#pending) {
        this.#pending.ends++;
        this.#settle();
      }
    };
    new Demux(
      child.stdout!,
      (p) => p.spec.stdout,
      () => this.#pending,
      onEnd,
    );
    new Demux(
      child.stderr!,
      (p) => p.spec.stderr,
      () => this.#pending,
      onEnd,
    );
  }

  /**
   * Starts the runner with `bindArgs` (the root, /proc, /dev, /sys, resolv.conf and hosts, as the
   * chroot sandbox binds them for every RUN).
   */
  static start(bwrap: string, bindArgs: string[], points: MountPoints): WarmRunner {
    const { loader, libs } = ownBinaries();
    if (!loader) throw new SandboxError('cannot find the dynamic loader of this Node binary', 'chroot');
    // Whole library directories: the names the binary asks for (sonames) are links in them.
    const dirs = [...new Set([loader, ...libs].map((p) => dirname(p)))];
    const inside = (dir: string) => `${KTS}/lib${dirs.indexOf(dir)}`;
    const args = [...bindArgs, '--dir', KTS];
    for (const dir of dirs) args.push('--ro-bind', dir, inside(dir));
    args.push('--ro-bind', process.execPath, `${KTS}/node`);
    // From source, Node runs the runner's own file; the single executable runs itself.
    const source = runnerProgram()?.script;
    const script = source ? `${KTS}/runner${extname(source)}` : undefined;
    if (source && script) args.push('--ro-bind', source, script);
    args.push('--unshare-pid', '--die-with-parent', '--cap-drop', 'ALL');
    for (const c of DEFAULT_CAPABILITIES) args.push('--cap-add', c);
    args.push('--clearenv', '--setenv', 'KANIKO_TS_SANDBOX_RUNNER', '1', '--chdir', '/', '--');
    const loaderInside = `${inside(dirname(loader))}/${basename(loader)}`;
    args.push(loaderInside, '--library-path', dirs.map(inside).join(':'), `${KTS}/node`);
    if (script) args.push(script);
    const child = spawn(bwrap, args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true, env: {} });
    return new WarmRunner(child, points);
  }

  get alive(): boolean {
    return this.#dead === undefined;
  }

  #settle(): void {
    const p = this.#pending;
    if (!p?.result || p.ends < 2) return;
    this.#pending = undefined;
    const r = p.result;
    if (r.error) p.spec.stderr.write(`${r.error}\n`);
    p.resolve(r.signal ? { exitCode: r.exitCode, signal: r.signal } : { exitCode: r.exitCode });
  }

  run(spec: RunSpec): Promise<RunResult> {
    if (this.#dead) return Promise.reject(new SandboxError(this.#dead, 'chroot'));
    if (this.#pending) return Promise.reject(new SandboxError('the sandbox runner is busy', 'chroot'));
    if (spec.signal?.aborted) return Promise.resolve({ exitCode: 128 + 9, signal: 'SIGKILL' });
    const env: Record<string, string> = {};
    for (const e of withDefaultPath(spec.env)) {
      const eq = e.indexOf('=');
      if (eq <= 0)
        throw new SandboxError(`environment entry "${e.split('=')[0]}" is not KEY=VALUE`, 'chroot');
      env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    const req: RunnerRequest = {
      id: this.#nextId++,
      argv: spec.argv,
      env,
      cwd: spec.cwd,
      uid: spec.user.uid,
      gid: spec.user.gid,
    };
    return new Promise<RunResult>((resolve) => {
      this.#pending = { id: req.id, spec, ends: 0, resolve };
      // A cancelled build takes the runner down with the command.
      const onAbort = () => this.kill();
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (r: RunResult) => {
        spec.signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      this.#pending.resolve = done;
      this.#child.stdin!.write(`${JSON.stringify(req)}\n`);
    });
  }

  kill(): void {
    try {
      if (this.#child.pid) process.kill(-this.#child.pid, 'SIGKILL');
    } catch {}
  }

  /** Ends the runner and removes the mount targets it made in the root. */
  async close(): Promise<void> {
    if (!this.#dead) this.#child.stdin!.end();
    await this.#closed;
    await this.#points.cleanup();
  }
}
