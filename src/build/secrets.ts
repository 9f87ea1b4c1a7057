// --secret id=ID,src=FILE | id=ID,env=VAR (BuildKit's syntax). Secret values are read only when a
// RUN mounts them, and only their ids ever reach logs, history or cache keys.
import { UsageError } from '../cli/flags.ts';

export interface SecretSource {
  id: string;
  /** A file on the build host. */
  file?: string;
  /** An environment variable of the builder's process. */
  env?: string;
}

export function parseSecretFlag(value: string): SecretSource {
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--secret: expected key=value in "${part}" (id=ID,src=FILE or id=ID,env=VAR)`);
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const id = fields.get('id');
  const file = fields.get('src') ?? fields.get('source');
  const env = fields.get('env');
  const type = fields.get('type');
  if (type !== undefined && type !== 'file' && type !== 'env')
    throw new UsageError(`--secret: unknown type "${type}"`);
  if (!id && !file && !env) throw new UsageError('--secret: needs id= and src= or env=');
  // BuildKit: without src/env, the id names an environment variable or, failing that, nothing.
  const resolvedId = id ?? (file ? file.split('/').pop()! : env!);
  if (file && env) throw new UsageError(`--secret ${resolvedId}: give src= or env=, not both`);
  if (type === 'env' || (env !== undefined && !file)) return { id: resolvedId, env: env ?? resolvedId };
  if (file) return { id: resolvedId, file };
  return { id: resolvedId, env: resolvedId };
}
