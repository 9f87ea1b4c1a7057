// --context as kaniko takes it → a local directory. Directories (plain paths, dir://) are used in
// place; the remote kinds (tar://, git://, https://, gs://, s3://, Azure) fetch into the build's
// own work directory first.
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ContextError } from '../build/errors.ts';

export interface ResolvedContext {
  /** Absolute path of the context directory. */
  dir: string;
  /** What the user gave, for messages. */
  source: string;
}

export async function resolveContext(context: string, subPath: string | undefined): Promise<ResolvedContext> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(context)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'dir') {
    throw new ContextError(`context ${context}: ${scheme}:// contexts are not supported yet`);
  }
  const path = scheme === 'dir' ? context.slice('dir://'.length) : context;
  let dir = resolve(path);
  if (subPath) dir = join(dir, subPath);
  const st = await stat(dir).catch(() => undefined);
  if (!st)
    throw new ContextError(`context ${context}${subPath ? ` (sub path ${subPath})` : ''}: no such directory`);
  if (!st.isDirectory()) throw new ContextError(`context ${context}: not a directory`);
  return { dir, source: context };
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
