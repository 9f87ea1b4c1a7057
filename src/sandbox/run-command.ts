// A small command-line front to the sandbox for tests, benchmarks and debugging:
//   node src/sandbox/run-command.ts [--sandbox=chroot|userns|proot|in-place] --rootfs=DIR
//     [--user=UID:GID[:G1,G2]] [--cwd=/] [--network=default|none|host] [--env=K=V]...
//     [--mount=JSON]... [--repeat=N] -- COMMAND [ARG...]
// As a non-root user it first re-executes itself in a user namespace, as the CLI does. It prints
// the sandbox's reason on stderr and exits with the command's status; with --repeat it runs the
// command N times and prints the median wall milliseconds per run on stdout.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SandboxError } from './errors.ts';
import { selectSandbox } from './select.ts';
import type { RunMount, RunNetwork, SandboxName } from './types.ts';
import { enterUserNamespace } from './userns.ts';

const NAMES: readonly SandboxName[] = ['in-place', 'chroot', 'userns', 'proot'];

function parseUser(s: string): { uid: number; gid: number; groups?: number[] } {
  const [uid, gid, groups] = s.split(':');
  const user = { uid: Number(uid), gid: Number(gid ?? uid) };
  return groups ? { ...user, groups: groups.split(',').map(Number) } : user;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sandbox: { type: 'string' },
      rootfs: { type: 'string' },
      user: { type: 'string', default: '0:0' },
      cwd: { type: 'string', default: '/' },
      network: { type: 'string', default: 'default' },
      env: { type: 'string', multiple: true, default: [] },
      mount: { type: 'string', multiple: true, default: [] },
      repeat: { type: 'string' },
    },
  });
  const entered = await enterUserNamespace(
    [process.execPath, ...process.execArgv, import.meta.filename, ...argv],
    {
      warn: (m) => process.stderr.write(`WARN: ${m}\n`),
    },
  );
  if (entered !== undefined) return entered;
  if (!values.rootfs || positionals.length === 0) throw new SandboxError('usage: --rootfs=DIR -- COMMAND');
  const forced = values.sandbox as SandboxName | undefined;
  if (forced && !NAMES.includes(forced)) throw new SandboxError(`unknown sandbox "${forced}"`);
  const sandbox = await selectSandbox({
    rootfs: values.rootfs,
    ...(forced ? { forced } : {}),
    warn: (m) => process.stderr.write(`WARN: ${m}\n`),
  });
  process.stderr.write(`sandbox: ${sandbox.name}: ${sandbox.reason}\n`);
  const ac = new AbortController();
  process.once('SIGTERM', () => ac.abort());
  process.once('SIGINT', () => ac.abort());
  const spec = {
    rootfs: values.rootfs,
    argv: positionals,
    env: values.env,
    cwd: values.cwd,
    user: parseUser(values.user),
    network: values.network as RunNetwork,
    mounts: values.mount.map((m) => JSON.parse(m) as RunMount),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: ac.signal,
  };
  if (values.repeat) {
    const times: number[] = [];
    for (let i = 0; i < Number(values.repeat); i++) {
      const t = performance.now();
      const r = await sandbox.run(spec);
      times.push(performance.now() - t);
      if (r.exitCode !== 0) return r.exitCode;
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`${times[Math.floor(times.length / 2)]!.toFixed(1)}\n`);
    return 0;
  }
  return (await sandbox.run(spec)).exitCode;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(e instanceof SandboxError ? 2 : 1);
    },
  );
}
