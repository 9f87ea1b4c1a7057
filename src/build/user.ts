// USER → uid, gid and supplementary groups from the image's own /etc/passwd and /etc/group, as
// runc resolves it for BuildKit: names must exist; numeric ids need not.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ResolvedUser {
  uid: number;
  gid: number;
  groups: number[];
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

async function readLines(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

function parsePasswd(rows: string[][]): PasswdEntry[] {
  return rows
    .filter((r) => r.length >= 4)
    .map((r) => ({ name: r[0]!, uid: Number(r[2]), gid: Number(r[3]) }));
}

function parseGroup(rows: string[][]): GroupEntry[] {
  return rows
    .filter((r) => r.length >= 3)
    .map((r) => ({ name: r[0]!, gid: Number(r[2]), members: (r[3] ?? '').split(',').filter(Boolean) }));
}

const isId = (s: string) => /^[0-9]+$/.test(s);

export class UserError extends Error {
  override name = 'UserError';
}

/** Resolves `user[:group]` inside `rootfs` (an image root on the host). Empty means root. */
export async function resolveUser(rootfs: string, spec: string | undefined): Promise<ResolvedUser> {
  const value = spec ?? '';
  if (value === '') return { uid: 0, gid: 0, groups: [] };
  const [userPart, groupPart] = value.split(':', 2) as [string, string | undefined];
  const passwd = parsePasswd(await readLines(join(rootfs, 'etc', 'passwd')));
  let uid: number;
  let gid = 0;
  let name: string | undefined;
  const byName = passwd.find((p) => p.name === userPart);
  if (byName) {
    ({ uid, gid, name } = byName);
  } else if (userPart === 'root') {
    uid = 0;
    name = 'root';
  } else if (isId(userPart)) {
    uid = Number(userPart);
    const byUid = passwd.find((p) => p.uid === uid);
    if (byUid) ({ gid, name } = byUid);
  } else {
    throw new UserError(`unable to find user ${userPart}: no matching entries in passwd file`);
  }
  const groups = parseGroup(await readLines(join(rootfs, 'etc', 'group')));
  if (groupPart !== undefined && groupPart !== '') {
    const g = groups.find((x) => x.name === groupPart);
    if (g) gid = g.gid;
    else if (isId(groupPart)) gid = Number(groupPart);
    else throw new UserError(`unable to find group ${groupPart}: no matching entries in group file`);
    return { uid, gid, groups: [] };
  }
  const supplementary = name
    ? groups.filter((g) => g.members.includes(name) && g.gid !== gid).map((g) => g.gid)
    : [];
  return { uid, gid, groups: supplementary };
}
