// The last resort: PRoot fakes chroot, mounts and (with -0 / -i) the user by ptrace, needing no
// privilege and no namespace. Slower per system call, and it cannot isolate the network.
import { chmod, copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxError } from './errors.ts';
import { MountPoints } from './mountpoints.ts';
import { runProcess } from './process.ts';
import type { RunResult, RunSpec, Sandbox } from './types.ts';
import { withDefaultPath } from './types.ts';

export const PROOT = '/usr/bin/proot';

export interface ProotOptions {
  reason: string;
  warn?: (message: string) => void;
}

function envObject(env: readonly string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const e of withDefaultPath(env)) {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new SandboxError(`environment entry "${e.split('=')[0]}" is not KEY=VALUE`, 'proot');
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

export class ProotSandbox implements Sandbox {
  readonly name = 'proot' as const;
  readonly reason: string;
  private readonly warn: ((message: string) => void) | undefined;
  private warnedNetwork = false;

  constructor(opts: ProotOptions) {
    this.reason = opts.reason;
    this.warn = opts.warn;
  }

  async run(spec: RunSpec): Promise<RunResult> {
    if (spec.network === 'none' && !this.warnedNetwork) {
      this.warnedNetwork = true;
      this.warn?.('proot cannot isolate the network: RUN --network=none runs with the host network');
    }
    const points = new MountPoints(spec.rootfs);
    const scratch = await mkdtemp(join(tmpdir(), 'kaniko-ts-proot-'));
    try {
      const { uid, gid } = spec.user;
      const args = ['-r', spec.rootfs, '-w', spec.cwd];
      args.push(uid === 0 && gid === 0 ? '-0' : `--change-id=${uid}:${gid}`);
      const bind = async (source: string, target: string, kind: 'dir' | 'file'): Promise<void> => {
        args.push('-b', `${source}:${await points.ensure(target, kind)}`);
      };
      await bind('/proc', '/proc', 'dir');
      await bind('/dev', '/dev', 'dir');
      await bind('/sys', '/sys', 'dir');
      await bind(spec.resolvConf ?? '/etc/resolv.conf', '/etc/resolv.conf', 'file');
      await bind(spec.hostsFile ?? '/etc/hosts', '/etc/hosts', 'file');
      let n = 0;
      for (const m of spec.mounts) {
        switch (m.type) {
          case 'bind':
          case 'cache':
            await bind(m.source, m.target, m.type === 'bind' && (await isFile(m.source)) ? 'file' : 'dir');
            break;
          case 'tmpfs': {
            const dir = await mkdtemp(join(scratch, 'tmpfs-'));
            await bind(dir, m.target, 'dir');
            break;
          }
          case 'secret': {
            const file = join(scratch, `secret-${n++}`);
            await copyFile(m.source, file);
            await chmod(file, m.mode ?? 0o400);
            await bind(file, m.target, 'file');
            break;
          }
          case 'ssh':
            await bind(m.socket, m.target, 'file');
            break;
        }
      }
      args.push(...spec.argv);
      return await runProcess(PROOT, args, spec, {
        env: envObject(spec.env),
        managerComms: ['proot'],
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
      await points.cleanup();
    }
  }
}

async function isFile(p: string): Promise<boolean> {
  return (await stat(p)).isFile();
}
