// The executor runs RUN steps in bubblewrap (src/sandbox/chroot.ts), and GitHub's hosted Ubuntu
// images need not carry it. When the runner has no /usr/bin/bwrap and no $KANIKO_TS_BWRAP, the
// action fetches the distribution's own package with `apt-get download` (no root needed), unpacks
// it with `dpkg-deb -x` and keeps bwrap in the runner's tool cache (@actions/tool-cache), so a
// self-hosted runner fetches it once. The executor is then told where it is (KANIKO_TS_BWRAP).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tc from '@actions/tool-cache';
import { BWRAP_ENV, DEFAULT_BWRAP } from '../src/sandbox/chroot.ts';

/** The tool-cache name; versions are the Debian package's (see toolVersion). */
export const TOOL = 'bubblewrap';

export interface BwrapOptions {
  /** PATH (for apt-get, apt-cache, dpkg-deb) and KANIKO_TS_BWRAP. The tool cache's directory is
   * @actions/tool-cache's: process.env.RUNNER_TOOL_CACHE. */
  env: NodeJS.ProcessEnv;
  /** A directory of this step's own, removed by the post step: the download is unpacked here. */
  workDir: string;
  /** Where an installed bubblewrap is looked for (default /usr/bin/bwrap). */
  installed?: string;
}

export interface BwrapProvision {
  /** Environment for the executor: KANIKO_TS_BWRAP when the action fetched bubblewrap. */
  env: Record<string, string>;
  /** One line for the log: where bwrap comes from, or why there is none. */
  message: string;
  /** No bubblewrap: the message is a warning. */
  missing: boolean;
}

/**
 * A Debian version as a semver the tool cache keeps unchanged: epoch dropped, the Debian revision
 * kept in the prerelease so that a security update is a new entry (0.8.0-2+deb12u1 →
 * 0.8.0-deb-2-deb12u1).
 */
export function toolVersion(debian: string): string {
  const v = debian.replace(/^\d+:/, '');
  const dash = v.lastIndexOf('-');
  const upstream = dash < 0 ? v : v.slice(0, dash);
  const revision = dash < 0 ? '' : v.slice(dash + 1);
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(upstream);
  const id = (s: string) => s.replace(/[^0-9A-Za-z-]+/g, '-');
  if (!m) return `0.0.0-deb-${id(v)}`;
  const core = `${Number(m[1])}.${Number(m[2])}.${Number(m[3] ?? 0)}`;
  return revision ? `${core}-deb-${id(revision)}` : core;
}

interface Ran {
  /** Exit status; 'missing' when the program is not on PATH. */
  code: number | 'missing';
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, cwd, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: number | string };
      resolve({
        code: e.code === 'ENOENT' ? 'missing' : typeof e.code === 'number' ? e.code : 1,
        stdout,
        stderr,
      });
    });
  });
}

/** The last line apt printed on stderr (its `E: …`), for a one-line message. */
function lastLine(r: Ran): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  return lines.at(-1)?.trim() ?? `exit status ${r.code}`;
}

/** The version `apt-get download` would fetch, from `apt-cache policy` (undefined: none). */
async function candidate(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const r = await run('apt-cache', ['policy', TOOL], env);
  if (r.code !== 0) return undefined;
  const v = /^\s*Candidate:\s*(\S+)\s*$/m.exec(r.stdout)?.[1];
  return v && v !== '(none)' ? v : undefined;
}

function cachedBinary(version: string): string | undefined {
  const dir = tc.find(TOOL, version);
  return dir && existsSync(join(dir, 'bwrap')) ? join(dir, 'bwrap') : undefined;
}

/** The newest bubblewrap in the tool cache, whatever apt would fetch today. */
function newestCached(): { version: string; path: string } | undefined {
  const versions = tc.findAllVersions(TOOL).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const version of versions.reverse()) {
    const path = cachedBinary(version);
    if (path) return { version, path };
  }
  return undefined;
}

class FetchError extends Error {
  override name = 'FetchError';
}

/**
 * Downloads and unpacks the package into `dir`; its Debian version and bwrap's path. The runner's
 * package lists may be stale or absent (the archive then no longer has the version they name):
 * a second try reads fresh lists into `dir`, still without root.
 */
async function download(env: NodeJS.ProcessEnv, dir: string): Promise<{ version: string; bwrap: string }> {
  const debs = join(dir, 'debs');
  await mkdir(debs, { recursive: true });
  let r = await run('apt-get', ['-q', 'download', TOOL], env, debs);
  if (r.code === 'missing') throw new FetchError('apt-get is not installed');
  if (r.code !== 0) {
    const lists = join(dir, 'apt-lists');
    const cache = join(dir, 'apt-cache');
    await mkdir(join(lists, 'partial'), { recursive: true });
    await mkdir(join(cache, 'archives', 'partial'), { recursive: true });
    const own = ['-o', `Dir::State::Lists=${lists}`, '-o', `Dir::Cache=${cache}`, '-o', 'Debug::NoLocking=1'];
    const update = await run('apt-get', ['-q', ...own, 'update'], env, debs);
    if (update.code !== 0) throw new FetchError(`apt-get update (own lists): ${lastLine(update)}`);
    r = await run('apt-get', ['-q', ...own, 'download', TOOL], env, debs);
    if (r.code !== 0) throw new FetchError(`apt-get download ${TOOL}: ${lastLine(r)}`);
  }
  // bubblewrap_0.8.0-2+deb12u1_amd64.deb; an epoch's colon is written %3a.
  const deb = (await readdir(debs)).find((f) => f.startsWith(`${TOOL}_`) && f.endsWith('.deb'));
  if (!deb) throw new FetchError(`apt-get download ${TOOL} left no .deb in ${debs}`);
  const version = decodeURIComponent(deb.split('_')[1] ?? '');
  const root = join(dir, 'root');
  const x = await run('dpkg-deb', ['-x', join(debs, deb), root], env);
  if (x.code === 'missing') throw new FetchError('dpkg-deb is not installed');
  if (x.code !== 0) throw new FetchError(`dpkg-deb -x ${deb}: ${lastLine(x)}`);
  const bwrap = join(root, 'usr', 'bin', 'bwrap');
  if (!existsSync(bwrap)) throw new FetchError(`${deb} holds no usr/bin/bwrap`);
  return { version, bwrap };
}

const NEEDED =
  'RUN steps need bubblewrap: install it on the runner (apt-get install bubblewrap) or set KANIKO_TS_BWRAP to a bwrap binary';

/**
 * Finds or fetches bubblewrap for the executor. Never throws: without it the build goes on, and
 * the executor picks another sandbox (proot) or says that none works (exit code 8).
 */
export async function provideBwrap(opts: BwrapOptions): Promise<BwrapProvision> {
  const override = opts.env[BWRAP_ENV];
  if (override) return { env: {}, message: `bubblewrap: ${override} (${BWRAP_ENV})`, missing: false };
  const installed = opts.installed ?? DEFAULT_BWRAP;
  if (existsSync(installed))
    return { env: {}, message: `bubblewrap: ${installed} (installed on the runner)`, missing: false };

  const toolCache = Boolean(process.env.RUNNER_TOOL_CACHE);
  const wanted = await candidate(opts.env);
  if (toolCache && wanted) {
    const path = cachedBinary(toolVersion(wanted));
    if (path)
      return {
        env: { [BWRAP_ENV]: path },
        message: `bubblewrap ${wanted}: ${path} (tool cache)`,
        missing: false,
      };
  }
  try {
    const got = await download(opts.env, join(opts.workDir, TOOL));
    if (!toolCache)
      return {
        env: { [BWRAP_ENV]: got.bwrap },
        message: `bubblewrap ${got.version}: ${got.bwrap} (apt-get download; no RUNNER_TOOL_CACHE to keep it in)`,
        missing: false,
      };
    const dir = await tc.cacheDir(join(got.bwrap, '..'), TOOL, toolVersion(got.version));
    const path = join(dir, 'bwrap');
    return {
      env: { [BWRAP_ENV]: path },
      message: `bubblewrap ${got.version}: ${path} (apt-get download, now in the tool cache)`,
      missing: false,
    };
  } catch (e) {
    // Whatever went wrong (apt, dpkg-deb, the cache directory), the build may still need no RUN.
    const why = e instanceof Error ? e.message : String(e);
    const older = toolCache ? newestCached() : undefined;
    if (older)
      return {
        env: { [BWRAP_ENV]: older.path },
        message: `bubblewrap ${older.version}: ${older.path} (tool cache; fetching ${wanted ?? 'a newer one'} failed: ${why})`,
        missing: false,
      };
    return { env: {}, message: `no bubblewrap (${why}): ${NEEDED}`, missing: true };
  }
}
