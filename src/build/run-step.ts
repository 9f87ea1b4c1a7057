// RUN: the argv (shell, exec form, heredocs), its environment, user and mounts, run in the
// sandbox; then one walk of the rootfs turns what changed into a layer.
import { chmod, chown, cp, lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { DockerfileError } from '../dockerfile/errors.ts';
import { runArgv } from '../dockerfile/history.ts';
import type { RunCommand } from '../dockerfile/instructions.ts';
import type { SourceRef } from '../dockerfile/stages.ts';
import type { ContainerConfig } from '../image/types.ts';
import type { Step } from '../log/logger.ts';
import { insidePath, resolveInRoot } from '../sandbox/rootfs-path.ts';
import type { RunMount } from '../sandbox/types.ts';
import type { BuildContext } from './build-context.ts';
import { RunFailedError } from './errors.ts';
import { runEnv, shellOf } from './image-config.ts';
import type { LayerFile, StageRootfs } from './rootfs.ts';
import { sourceDir } from './source-dir.ts';
import { resolveUser } from './user.ts';

export interface RunStepInput {
  cmd: RunCommand;
  config: ContainerConfig;
  /** The stage's ARGs so far; their values reach the command's environment (not the image). */
  args: ReadonlyArray<[string, string | undefined]>;
  rootfs: StageRootfs;
  sources: SourceRef[];
  where: string;
  step: Step;
}

/** Writes each complete line to the log with the step's prefix (BuildKit's plain progress). */
function lineWriter(step: Step): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) step.log(l);
      cb();
    },
    final(cb) {
      if (pending) step.log(pending);
      cb();
    },
  });
}

export async function runStep(ctx: BuildContext, input: RunStepInput): Promise<LayerFile> {
  const { cmd, config, rootfs } = input;
  if (cmd.security === 'insecure' && !ctx.opts.allowInsecureEntitlement)
    throw new DockerfileError(
      input.where.replace(/:\d+$/, ''),
      cmd.line,
      'RUN --security=insecure needs --allow-insecure-entitlement',
    );
  const { argv, scriptFile } = runArgv(cmd, shellOf(config));
  const env = runEnv(config, input.args, ctx.buildArgs);
  const user = await resolveUser(rootfs.dir, config.User).catch((e: Error) => {
    throw new DockerfileError(input.where.replace(/:\d+$/, ''), cmd.line, e.message);
  });
  const cwd = config.WorkingDir || '/';
  const private_ = await mkdtemp(join(ctx.work.private, 'run-'));
  const mounts: RunMount[] = [];
  const cleanups: string[] = [private_];
  try {
    // The working directory must exist for the process to start (runc creates it too).
    const wd = await resolveInRoot(rootfs.dir, cwd);
    if (wd.existing < wd.inside.length) {
      await mkdir(join(rootfs.dir, insidePath(wd)), { recursive: true, mode: 0o755 });
    }
    if (scriptFile) {
      const host = join(private_, `script-${basename(scriptFile.name)}`);
      await writeFile(host, scriptFile.data, { mode: 0o755 });
      mounts.push({ type: 'bind', source: host, target: `/dev/pipes/${scriptFile.name}`, readonly: true });
    }
    let fromIndex = 0;
    for (const m of cmd.mounts) {
      const ref = m.from !== undefined ? input.sources[fromIndex++] : undefined;
      switch (m.type) {
        case 'bind': {
          const base = await sourceDir(ctx, ref);
          const src = await resolveInRoot(base, `/${m.source ?? ''}`);
          let host = join(base, insidePath(src));
          if (!m.readOnly) {
            // rw binds see their own writes; the source and the image never do.
            const copy = join(private_, `bind-${mounts.length}`);
            await cp(host, copy, { recursive: true, verbatimSymlinks: true });
            host = copy;
          }
          mounts.push({ type: 'bind', source: host, target: m.target, readonly: m.readOnly });
          break;
        }
        case 'cache': {
          const id = (m.id ?? m.target).replace(/[^A-Za-z0-9_.-]/g, '_');
          const dir = join(ctx.work.cacheMounts, id);
          await mkdir(dir, { recursive: true });
          await chmod(dir, m.mode ?? 0o755);
          await chown(dir, m.uid ?? 0, m.gid ?? 0);
          mounts.push({ type: 'cache', source: dir, target: m.target });
          break;
        }
        case 'tmpfs':
          mounts.push({ type: 'tmpfs', target: m.target });
          break;
        case 'secret': {
          const id = m.id ?? basename(m.target);
          const secret = ctx.secrets.get(id);
          if (!secret) {
            if (m.required)
              throw new DockerfileError(input.where.replace(/:\d+$/, ''), cmd.line, `secret ${id} not found`);
            break;
          }
          const value = secret.file ? undefined : (process.env[secret.env ?? id] ?? '');
          let file = secret.file;
          if (!file) {
            file = join(private_, `secret-${mounts.length}`);
            await writeFile(file, value ?? '', { mode: 0o400 });
          }
          if (m.env) {
            const { readFile } = await import('node:fs/promises');
            env.push(`${m.env}=${(await readFile(file, 'utf8')).trimEnd()}`);
          }
          if (m.target || !m.env) {
            mounts.push({
              type: 'secret',
              source: file,
              target: m.target || `/run/secrets/${id}`,
              mode: m.mode ?? 0o400,
              uid: m.uid ?? 0,
              gid: m.gid ?? 0,
            });
          }
          break;
        }
        case 'ssh': {
          const socket = process.env.SSH_AUTH_SOCK;
          if (!socket) {
            if (m.required)
              throw new DockerfileError(
                input.where.replace(/:\d+$/, ''),
                cmd.line,
                'no SSH agent: SSH_AUTH_SOCK is not set',
              );
            break;
          }
          mounts.push({ type: 'ssh', socket, target: m.target });
          break;
        }
      }
    }
    rootfs.ignore(mounts.map((m) => m.target));
    // runc creates the kernel filesystems' mount points when an image lacks them, and BuildKit's
    // layer keeps them; do the same so the images match.
    const createdDirs: string[] = [];
    for (const d of ['/dev', '/proc', '/sys']) {
      const host = join(rootfs.dir, d);
      if (
        await lstat(host).then(
          () => false,
          () => true,
        )
      ) {
        await mkdir(host, { mode: 0o755 });
        await chmod(host, 0o755);
        createdDirs.push(d);
      }
    }
    const out = lineWriter(input.step);
    const t0 = performance.now();
    const result = await ctx.sandbox.run({
      rootfs: rootfs.dir,
      argv,
      env,
      cwd,
      user,
      network: cmd.network ?? 'default',
      security: cmd.security ?? 'sandbox',
      mounts,
      stdout: out,
      stderr: out,
      signal: ctx.signal,
      // The stage releases the root when it ends (executor.ts).
      keepWarm: true,
    });
    out.end();
    ctx.signal.throwIfAborted();
    if (result.exitCode !== 0)
      throw new RunFailedError(input.where, argv.at(-1) ?? '', result.exitCode, result.signal);
    const t1 = performance.now();
    const layer = await rootfs.snapshotAll([...createdDirs, ...(result.touched ?? [])]);
    ctx.log.debug(
      `RUN took ${(t1 - t0).toFixed(0)} ms in the sandbox, ${(performance.now() - t1).toFixed(0)} ms to snapshot`,
    );
    return layer;
  } finally {
    for (const c of cleanups) await rm(c, { recursive: true, force: true });
  }
}
