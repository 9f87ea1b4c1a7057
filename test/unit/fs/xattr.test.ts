// Extended attributes through getfattr/setfattr: the dump format round-trips any name and value,
// only the attributes an image keeps are read, and tar xattrs land on the extracted files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { extractLayer } from '../../../src/fs/extract.ts';
import { applyXattrs, formatXattrDump, parseXattrDump, readXattrs } from '../../../src/fs/xattr.ts';
import { archive, file, meta, paxRecords } from './craft-tar.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-xattr-'));
after(() => rm(work, { recursive: true, force: true }));

const CAP = Buffer.from('0100000200200000000000000000000000000000', 'hex'); // cap_net_raw+ep

test('awkward names and binary values survive setfattr --restore and getfattr', async () => {
  const dir = join(work, 'names');
  await mkdir(dir);
  const names = ['plain', 'with space', 'new\nline', 'back\\134slash', 'tab\there', 'ünïcode', 'eq=sign'];
  for (const n of names) await writeFile(join(dir, n), n);
  const items = names.map((n, i) => ({
    host: join(dir, n),
    xattrs: { 'user.v': Buffer.from([0, 255, i, 10, 92]), 'user.name': Buffer.from(n) },
  }));
  assert.deepEqual(applyXattrs(items), []);
  const read = readXattrs(items.map((i) => i.host));
  assert.equal(read.size, names.length);
  for (const i of items) assert.deepEqual(read.get(i.host), i.xattrs);
  assert.deepEqual(parseXattrDump(formatXattrDump(items)), new Map(items.map((i) => [i.host, i.xattrs])));
});

test('only security.capability and user.* are read; trusted.*, security.selinux and ACLs are not', async () => {
  const dump = [
    '# file: /x',
    'trusted.overlay.opaque=0x79',
    'security.selinux=0x73797374656d5f75',
    'system.posix_acl_access=0x02000000',
    'user.keep=0x6b',
    `security.capability=0x${CAP.toString('hex')}`,
    '',
  ].join('\n');
  assert.deepEqual(parseXattrDump(dump).get('/x'), {
    'security.capability': CAP,
    'user.keep': Buffer.from('k'),
  });
  const f = join(work, 'kinds');
  await writeFile(f, 'x');
  // trusted.* needs CAP_SYS_ADMIN, which a container may not have: set it where allowed.
  spawnSync('setfattr', ['-n', 'trusted.overlay', '-v', 'y', f]);
  assert.equal(spawnSync('setfattr', ['-n', 'user.keep', '-v', 'k', f]).status, 0);
  assert.equal(spawnSync('setcap', ['cap_net_raw+ep', f]).status, 0);
  assert.deepEqual(readXattrs([f]).get(f), { 'security.capability': CAP, 'user.keep': Buffer.from('k') });
});

test('a symlink is never followed: its target keeps no attribute, and the failure is reported', async () => {
  const target = join(work, 'target');
  const link = join(work, 'link');
  await writeFile(target, 'x');
  await symlink(target, link);
  const failures = applyXattrs([{ host: link, xattrs: { 'user.x': Buffer.from('1') } }]);
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.host, link);
  assert.equal(readXattrs([target]).size, 0);
});

test('tar xattrs are set on extracted files after their owner, so a capability stays', async () => {
  const root = join(work, 'root');
  await mkdir(root);
  const tar = archive(
    meta('x', paxRecords({ 'SCHILY.xattr.security.capability': CAP, 'SCHILY.xattr.user.a': 'b' })),
    file('bin/ping', 'ping', { mode: 0o755, uid: 1000 }),
    meta('x', paxRecords({ 'SCHILY.xattr.security.selinux': 'system_u:object_r:bin_t:s0' })),
    file('bin/other', 'other'),
  );
  const r = await extractLayer(Readable.from([tar]), { root });
  assert.deepEqual(r.skipped, []);
  const read = readXattrs([join(root, 'bin/ping'), join(root, 'bin/other')]);
  assert.deepEqual(read.get(join(root, 'bin/ping')), {
    'security.capability': CAP,
    'user.a': Buffer.from('b'),
  });
  assert.equal(read.has(join(root, 'bin/other')), false, 'security.selinux describes the host: not applied');
  assert.match(spawnSync('getcap', [join(root, 'bin/ping')], { encoding: 'utf8' }).stdout, /cap_net_raw=ep/);
});
