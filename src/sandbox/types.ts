// The one interface every RUN sandbox implements, and the description of a single RUN.
import type { Writable } from 'node:stream';

export type SandboxName = 'in-place' | 'chroot' | 'userns' | 'proot';

export interface RunUser {
  uid: number;
  gid: number;
  /** Supplementary groups; none when absent. */
  groups?: number[];
}

export type RunNetwork = 'default' | 'none' | 'host';

export interface BindMount {
  type: 'bind';
  /** Host path (file or directory). */
  source: string;
  /** Absolute path inside the rootfs. */
  target: string;
  readonly: boolean;
}

export interface TmpfsMount {
  type: 'tmpfs';
  target: string;
}

export interface CacheMount {
  type: 'cache';
  /** A host directory the executor keeps between runs and builds. */
  source: string;
  target: string;
}

export interface SecretMount {
  type: 'secret';
  /** Host file holding the secret. */
  source: string;
  target: string;
  /** Defaults to 0o400. */
  mode?: number;
  /** Owner inside the sandbox; defaults to 0:0. */
  uid?: number;
  gid?: number;
}

export interface SshMount {
  type: 'ssh';
  /** Host path of the agent socket ($SSH_AUTH_SOCK). */
  socket: string;
  target: string;
}

export type RunMount = BindMount | TmpfsMount | CacheMount | SecretMount | SshMount;

export interface RunSpec {
  /** Host directory holding the image's root filesystem (`/` in in-place mode). */
  rootfs: string;
  /** argv[0] is looked up on the PATH of `env`, inside the rootfs. */
  argv: string[];
  /** KEY=VALUE; PATH is added (Docker's default) when missing. */
  env: string[];
  /** Absolute working directory inside the rootfs; must exist. */
  cwd: string;
  user: RunUser;
  network: RunNetwork;
  /** 'insecure' keeps every capability (RUN --security=insecure); default is Docker's set. */
  security?: 'sandbox' | 'insecure';
  mounts: RunMount[];
  stdout: Writable;
  stderr: Writable;
  /** Aborting stops the whole process tree: SIGTERM, then SIGKILL after `killGraceMs`. */
  signal?: AbortSignal;
  /** Defaults to 2000 ms. */
  killGraceMs?: number;
  /**
   * The caller runs more commands in this root and calls `release(rootfs)` at the end: a sandbox
   * may then be kept alive between them (a plain RUN becomes a fork and exec).
   */
  keepWarm?: boolean;
  /** Host files bound read-only at /etc/hosts and /etc/resolv.conf; the host's own by default. */
  hostsFile?: string;
  resolvConf?: string;
}

export interface RunResult {
  /** The command's exit status; 128+n when it was killed by signal n. */
  exitCode: number;
  /** Set when the command (or the sandbox after an abort) was killed by a signal. */
  signal?: string;
  /**
   * Directories (image paths) whose mount targets a stage-long sandbox keeps: a sandbox per RUN
   * would have changed them for this RUN too, so the layer records them as BuildKit's does.
   */
  touched?: string[];
}

export interface Sandbox {
  readonly name: SandboxName;
  /** One human line saying why this sandbox was chosen; the executor prints it. */
  readonly reason: string;
  run(spec: RunSpec): Promise<RunResult>;
  /** The stage using this root is done: stop what was kept running for it and clean up. */
  release?(rootfs: string): Promise<void>;
}

/** Docker's default PATH, used when a RUN's environment has none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function withDefaultPath(env: readonly string[]): string[] {
  return env.some((e) => e.startsWith('PATH=')) ? [...env] : [...env, `PATH=${DEFAULT_PATH}`];
}
