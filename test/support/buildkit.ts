// The BuildKit oracle: Debian's dockerd 20.10 (BuildKit built in), started with its own data,
// exec root and socket, driven by Debian's docker client. Tests build a Dockerfile with it and
// push to the rig's registry, then compare that image with kaniko-ts's.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from './daemon.ts';
import { run } from './exec.ts';

/** Debian's client; the other docker on PATH is a newer client without buildx. */
const DOCKER = '/usr/bin/docker';

export interface BuildKitBuild {
  /** Context directory. */
  context: string;
  /** Dockerfile path; defaults to context/Dockerfile. */
  dockerfile?: string;
  /** Full reference to tag and push, e.g. 127.0.0.1:5001/oracle/case1:latest. */
  tag: string;
  buildArgs?: Record<string, string>;
  target?: string;
  /** Build secrets by id (values are written to temp files for `--secret id=…,src=…`). */
  secrets?: Record<string, string>;
}

export interface BuildKitOracle {
  build(b: BuildKitBuild): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The 2021 frontend would try to pull a `# syntax=` frontend image, which this machine cannot
 * reach, so the directive is dropped: today's frontend is what such a line asks for anyway.
 */
export function stripSyntaxDirective(dockerfile: string): string {
  const lines = dockerfile.split('\n');
  const out: string[] = [];
  let inDirectives = true;
  for (const line of lines) {
    const directive = inDirectives ? /^\s*#\s*([a-zA-Z]+)\s*=/.exec(line) : null;
    if (!directive) inDirectives = false;
    if (directive?.[1]?.toLowerCase() === 'syntax') continue;
    out.push(line);
  }
  return out.join('\n');
}

export async function startBuildKit(): Promise<BuildKitOracle> {
  // Socket paths are limited to ~108 bytes; keep the directory short.
  const dir = await mkdtemp(join(tmpdir(), 'kts-bk-'));
  const socket = join(dir, 'd.sock');
  const daemon = await startDaemon(
    'dockerd',
    [
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '-H',
      `unix://${socket}`,
    ],
    { ready: /API listen on/, timeoutMs: 120_000 },
  );
  const env = {
    ...process.env,
    DOCKER_HOST: `unix://${socket}`,
    DOCKER_BUILDKIT: '1',
    DOCKER_CONFIG: join(dir, 'client'),
  };
  return {
    async build(b) {
      const original = await readFile(b.dockerfile ?? join(b.context, 'Dockerfile'), 'utf8');
      const dockerfile = join(dir, `Dockerfile.${Date.now()}.${Math.random().toString(36).slice(2)}`);
      await writeFile(dockerfile, stripSyntaxDirective(original));
      const args = ['build', '--network', 'host', '--progress', 'plain', '-f', dockerfile, '-t', b.tag];
      for (const [k, v] of Object.entries(b.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
      if (b.target) args.push('--target', b.target);
      for (const [id, value] of Object.entries(b.secrets ?? {})) {
        const file = `${dockerfile}.secret-${id}`;
        await writeFile(file, value, { mode: 0o600 });
        args.push('--secret', `id=${id},src=${file}`);
      }
      args.push(b.context);
      try {
        await run(DOCKER, args, { env });
        await run(DOCKER, ['push', b.tag], { env });
      } finally {
        await rm(dockerfile, { force: true });
        for (const id of Object.keys(b.secrets ?? {}))
          await rm(`${dockerfile}.secret-${id}`, { force: true });
      }
    },
    async stop() {
      await daemon.stop();
      // overlay2 leaves mounts behind only if dockerd died; after a clean stop the tree is removable.
      await rm(dir, { recursive: true, force: true });
    },
  };
}
