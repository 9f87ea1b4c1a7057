// --chown values (`user`, `user:group`, ids or names) resolved against the target rootfs's
// /etc/passwd and /etc/group, as BuildKit does.
import { readFileSync } from 'node:fs';
import { CopyError } from './errors.ts';
import { ScopedRoot } from './scoped-path.ts';

export interface Owner {
  uid: number;
  gid: number;
}

function readDb(root: string, file: '/etc/passwd' | '/etc/group'): string[][] {
  const scoped = new ScopedRoot(root);
  const dir = scoped.resolveDir('/etc');
  if (dir === undefined) return [];
  try {
    // A symlinked /etc/passwd is read through the scoped parent only, never outside the root.
    const text = readFileSync(scoped.host(`${dir}/${file.slice(5)}`), 'utf8');
    return text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

const isId = (s: string) => /^\d+$/.test(s);

/** Resolves a --chown value; as Docker documents, a user without a group uses the uid as gid. */
export function resolveOwner(root: string, spec: string): Owner {
  const [user = '', group] = spec.split(':', 2);
  if (user === '') throw new CopyError(`invalid --chown ${JSON.stringify(spec)}`);
  let uid: number;
  if (isId(user)) uid = Number(user);
  else {
    const row = readDb(root, '/etc/passwd').find((r) => r[0] === user);
    if (!row || !isId(row[2] ?? ''))
      throw new CopyError(`--chown: unknown user ${JSON.stringify(user)} in /etc/passwd`);
    uid = Number(row[2]);
  }
  if (group === undefined || group === '') return { uid, gid: uid };
  if (isId(group)) return { uid, gid: Number(group) };
  const g = readDb(root, '/etc/group').find((r) => r[0] === group);
  if (!g || !isId(g[2] ?? ''))
    throw new CopyError(`--chown: unknown group ${JSON.stringify(group)} in /etc/group`);
  return { uid, gid: Number(g[2]) };
}
