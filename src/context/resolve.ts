// --context as kaniko takes it → a local directory. Directories (plain paths, dir://) are used in
// place; the other kinds (tar://, tar://stdin, git, https, gs://, s3://, Azure Blob) are fetched
// into `<workDir>/context` first, each by its own module, loaded only when used.
import { mkdtemp, realpath, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ContextError } from '../build/errors.ts';
import type { FetchOptions } from './https.ts';
import { type ContextSpec, parseContext, parseGitOptions, redactContext } from './kaniko-url.ts';

export interface ResolvedContext {
  /** Absolute path of the context directory (with --context-sub-path applied). */
  dir: string;
  /** What the user gave (credentials removed), for messages. */
  source: string;
  /** The kind of context it was. */
  kind: ContextSpec['kind'];
}

export interface ResolveOptions {
  /** Where fetched contexts are extracted (`<workDir>/context`); a new temporary dir if absent. */
  workDir?: string;
  /** The raw --git flag (`branch=…,single-branch=…,recurse-submodules=…,insecure-skip-tls=…`). */
  git?: string;
  signal?: AbortSignal;
  /** Progress lines (bytes fetched). */
  log?: (line: string) => void;
  /** Environment for credentials and endpoints (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Standard input for tar://stdin (default process.stdin). */
  stdin?: Readable;
}

export async function resolveContext(
  context: string,
  subPath: string | undefined,
  opts: ResolveOptions = {},
): Promise<ResolvedContext> {
  const env = opts.env ?? process.env;
  const source = redactContext(context);
  const spec = parseContext(context, env);
  let dir: string;
  if (spec.kind === 'dir') {
    dir = resolve(spec.path);
  } else {
    const gitOptions = parseGitOptions(opts.git);
    dir = join(opts.workDir ?? (await mkdtemp(join(tmpdir(), 'kaniko-ts-context-'))), 'context');
    await fetchInto(
      spec,
      {
        dir,
        where: source,
        env,
        ...(opts.log ? { log: opts.log } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      gitOptions,
      opts.stdin,
    );
  }
  const st = await stat(dir).catch(() => undefined);
  if (!st) throw new ContextError(`context ${source}: no such directory`);
  if (!st.isDirectory()) throw new ContextError(`context ${source}: not a directory`);
  if (subPath) dir = await applySubPath(dir, subPath, source, spec.kind !== 'dir');
  return { dir, source, kind: spec.kind };
}

/** --context-sub-path; inside a fetched context it may not lead out of it (through `..` or links). */
async function applySubPath(
  root: string,
  subPath: string,
  source: string,
  contained: boolean,
): Promise<string> {
  const dir = join(root, subPath);
  const real = await realpath(dir).catch(() => undefined);
  const st = real ? await stat(real).catch(() => undefined) : undefined;
  if (!real || !st?.isDirectory())
    throw new ContextError(`context ${source} (sub path ${subPath}): no such directory`);
  if (contained) {
    const rel = relative(await realpath(root), real);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
      throw new ContextError(`context ${source} (sub path ${subPath}): leads outside the context`);
  }
  return dir;
}

async function fetchInto(
  spec: Exclude<ContextSpec, { kind: 'dir' }>,
  f: FetchOptions,
  git: ReturnType<typeof parseGitOptions>,
  stdin: Readable | undefined,
): Promise<void> {
  switch (spec.kind) {
    case 'tar': {
      const { createReadStream } = await import('node:fs');
      const { extractContextArchive } = await import('./tarball.ts');
      const path = resolve(spec.path);
      const st = await stat(path).catch(() => undefined);
      if (!st?.isFile()) throw new ContextError(`context ${f.where}: no such file`);
      await extractContextArchive(createReadStream(path), f);
      return;
    }
    case 'stdin': {
      const input = stdin ?? process.stdin;
      if ('isTTY' in input && input.isTTY)
        throw new ContextError(
          `context ${f.where}: standard input is a terminal; pipe a tar or tar.gz into it`,
        );
      const { extractContextArchive } = await import('./tarball.ts');
      await extractContextArchive(input, f);
      return;
    }
    case 'git': {
      const { fetchGit } = await import('./git.ts');
      await fetchGit(spec, { ...f, git });
      return;
    }
    case 'https': {
      const { fetchHttps } = await import('./https.ts');
      await fetchHttps(spec.url, f);
      return;
    }
    case 's3': {
      const { fetchS3 } = await import('./s3.ts');
      await fetchS3(spec.bucket, spec.key, f);
      return;
    }
    case 'gcs': {
      const { fetchGcs } = await import('./gcs.ts');
      await fetchGcs(spec.bucket, spec.object, f);
      return;
    }
    case 'azure': {
      const { fetchAzure } = await import('./azure.ts');
      await fetchAzure(spec, f);
      return;
    }
  }
}

/**
 * kaniko's rule: --dockerfile is a path as given (absolute, or relative to the working directory)
 * when that file exists, else relative to the context.
 */
export async function resolveDockerfile(dockerfile: string, contextDir: string): Promise<string> {
  const candidates = isAbsolute(dockerfile)
    ? [dockerfile]
    : [resolve(dockerfile), join(contextDir, dockerfile)];
  for (const c of candidates) {
    const st = await stat(c).catch(() => undefined);
    if (st?.isFile()) return c;
  }
  throw new ContextError(`Dockerfile ${dockerfile}: not found (looked in ${candidates.join(' and ')})`);
}
