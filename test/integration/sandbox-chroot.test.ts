// The chroot sandbox (bubblewrap as root) running real commands in rootfs unpacked by umoci from
// the busybox and debian fixtures.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ChrootSandbox } from '../../src/sandbox/chroot.ts';
import { descendants } from '../../src/sandbox/process.ts';
import type { RunResult, RunSpec } from '../../src/sandbox/types.ts';
import { run } from '../support/exec.ts';
import { ensureFixtures, type FixtureName, fixtureLayout } from '../support/fixtures.ts';

async function unpack(name: FixtureName, into: string): Promise<string> {
  await ensureFixtures([name]);
  await run('umoci', ['unpack', '--image', `${fixtureLayout(name)}:latest`, join(into, name)]);
  return join(into, name, 'rootfs');
}

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    out.push(join(e.parentPath, e.name).slice(root.length));
  }
  return out.sort();
}

interface Captured extends RunResult {
  out: string;
  err: string;
}

function capture(): { stdout: PassThrough; stderr: PassThrough; read: () => { out: string; err: string } } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (b: Buffer) => o.push(b));
  stderr.on('data', (b: Buffer) => e.push(b));
  return {
    stdout,
    stderr,
    read: () => ({ out: Buffer.concat(o).toString(), err: Buffer.concat(e).toString() }),
  };
}

const sandbox = new ChrootSandbox({ reason: 'test' });

async function exec(rootfs: string, argv: string[], more: Partial<RunSpec> = {}): Promise<Captured> {
  const c = capture();
  const res = await sandbox.run({
    rootfs,
    argv,
    env: ['HOME=/root'],
    cwd: '/',
    user: { uid: 0, gid: 0 },
    network: 'default',
    mounts: [],
    stdout: c.stdout,
    stderr: c.stderr,
    ...more,
  });
  return { ...res, ...c.read() };
}

describe('chroot sandbox (busybox rootfs)', () => {
  let work: string;
  let rootfs: string;
  let pristine: string[];
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kts-sandbox-chroot-'));
    rootfs = await unpack('busybox', work);
    pristine = await listTree(rootfs);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('exit codes, environment and working directory come through', async () => {
    const r = await exec(rootfs, ['sh', '-c', 'echo "$GREETING" in $(pwd); echo oops >&2; exit 42'], {
      env: ['GREETING=hello world'],
      cwd: '/home/app',
    });
    assert.equal(r.exitCode, 42);
    assert.equal(r.out, 'hello world in /home/app\n');
    assert.equal(r.err, 'oops\n');
  });

  test('argv[0] is found on the PATH of the RUN environment, Docker’s default PATH when unset', async () => {
    const r = await exec(rootfs, ['sh', '-c', 'echo $PATH']);
    assert.equal(r.out, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
    const missing = await exec(rootfs, ['no-such-command']);
    assert.notEqual(missing.exitCode, 0);
  });

  test('runs as root, or as another uid/gid with supplementary groups', async () => {
    assert.equal((await exec(rootfs, ['id', '-u'])).out, '0\n');
    const r = await exec(rootfs, ['sh', '-c', 'id -u; id -g; id -G; pwd; touch mine; stat -c %u:%g mine'], {
      user: { uid: 1000, gid: 1000, groups: [1000, 10] },
      cwd: '/home/app',
    });
    assert.equal(r.exitCode, 0, r.err);
    assert.equal(r.out, '1000\n1000\n1000 10\n/home/app\n1000:1000\n');
    const st = await stat(join(rootfs, 'home/app/mine'));
    assert.equal(st.uid, 1000);
    await rm(join(rootfs, 'home/app/mine'));
    const denied = await exec(rootfs, ['sh', '-c', 'touch /root/x'], { user: { uid: 1000, gid: 1000 } });
    assert.notEqual(denied.exitCode, 0);
  });

  test('/proc, /dev and /sys are there; the PID namespace is the RUN’s own', async () => {
    const r = await exec(rootfs, [
      'sh',
      '-c',
      'echo $$; ls /dev; test -r /proc/self/status && echo proc; test -d /sys/kernel && echo sys; touch /sys/x 2>/dev/null || echo sys-ro; echo x > /dev/null && head -c 4 /dev/zero | wc -c',
    ]);
    assert.equal(r.exitCode, 0, r.err);
    const lines = r.out.split('\n');
    assert.ok(Number(lines[0]) < 10, `pid ${lines[0]} is low in a fresh pid namespace`);
    for (const dev of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'shm', 'pts'])
      assert.ok(lines.includes(dev), dev);
    assert.ok(lines.includes('proc'));
    assert.ok(lines.includes('sys'));
    assert.ok(lines.includes('sys-ro'));
    assert.ok(lines.includes('4'));
  });

  test('network none leaves only the loopback interface; default shares the host’s', async () => {
    // /proc/net follows the network namespace (the read-only /sys is the host's).
    const ifaces = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort";
    const none = await exec(rootfs, ['sh', '-c', ifaces], { network: 'none' });
    assert.equal(none.out, 'lo\n');
    const host = await exec(rootfs, ['sh', '-c', ifaces], { network: 'default' });
    const hostIfaces = (await readdir('/sys/class/net')).sort().join('\n');
    assert.equal(host.out.trim().split('\n').sort().join('\n'), hostIfaces);
  });

  test('/etc/resolv.conf and /etc/hosts come from the host (or the given files) and stay out of the rootfs', async () => {
    const hosts = join(work, 'hosts');
    await writeFile(hosts, '127.0.0.1 localhost build-host\n');
    const r = await exec(rootfs, ['sh', '-c', 'cat /etc/hosts; cat /etc/resolv.conf'], { hostsFile: hosts });
    assert.equal(r.exitCode, 0, r.err);
    assert.equal(r.out, `127.0.0.1 localhost build-host\n${await readFile('/etc/resolv.conf', 'utf8')}`);
    assert.deepEqual(await listTree(rootfs), pristine);
  });

  test('a read-only bind mount reads but does not write; its target leaves nothing behind', async () => {
    const src = join(work, 'ctx');
    await rm(src, { recursive: true, force: true });
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'file.txt'), 'context\n');
    const etcBefore = await stat(join(rootfs, 'etc'));
    const r = await exec(
      rootfs,
      ['sh', '-c', 'cat /src/deep/file.txt; touch /src/deep/new 2>/dev/null || echo ro'],
      {
        mounts: [{ type: 'bind', source: src, target: '/src/deep', readonly: true }],
      },
    );
    assert.equal(r.exitCode, 0, r.err);
    assert.equal(r.out, 'context\nro\n');
    assert.deepEqual(await listTree(rootfs), pristine);
    assert.equal((await stat(join(rootfs, 'etc'))).mtimeMs, etcBefore.mtimeMs, '/etc keeps its mtime');
  });

  test('tmpfs is empty, writable and gone afterwards', async () => {
    const r = await exec(
      rootfs,
      ['sh', '-c', 'ls -A /tmp/scratch | wc -l; echo hi > /tmp/scratch/f; cat /tmp/scratch/f'],
      {
        mounts: [{ type: 'tmpfs', target: '/tmp/scratch' }],
      },
    );
    assert.equal(r.out, '0\nhi\n');
    assert.deepEqual(await listTree(rootfs), pristine);
  });

  test('a secret is readable at its target only, with its owner and mode, and gone afterwards', async () => {
    const secretFile = join(work, 'secret');
    await writeFile(secretFile, 's3cr3t-value');
    await chmod(secretFile, 0o600);
    const r = await exec(
      rootfs,
      [
        'sh',
        '-c',
        'cat /run/secrets/token; echo; stat -c %a:%u /run/secrets/token; grep -rl s3cr3t-value /etc /home /root /tmp /var || echo nowhere-else',
      ],
      {
        user: { uid: 1000, gid: 1000 },
        mounts: [
          { type: 'secret', source: secretFile, target: '/run/secrets/token', mode: 0o400, uid: 1000 },
        ],
      },
    );
    assert.equal(r.exitCode, 0, r.err);
    assert.equal(r.out, 's3cr3t-value\n400:1000\nnowhere-else\n');
    assert.deepEqual(await listTree(rootfs), pristine);
    const shm = await readdir('/dev/shm');
    assert.ok(!shm.some((f) => f.startsWith('kaniko-ts-secrets-')), 'the private copy is removed');
  });

  test('a cache mount keeps its content between two runs and stays out of the rootfs', async () => {
    const cache = await mkdtemp(join(work, 'cache-'));
    const mounts: RunSpec['mounts'] = [{ type: 'cache', source: cache, target: '/root/.cache/pkg' }];
    const first = await exec(
      rootfs,
      ['sh', '-c', 'echo 1 >> /root/.cache/pkg/runs; wc -l < /root/.cache/pkg/runs'],
      { mounts },
    );
    const second = await exec(
      rootfs,
      ['sh', '-c', 'echo 2 >> /root/.cache/pkg/runs; wc -l < /root/.cache/pkg/runs'],
      { mounts },
    );
    assert.equal(first.out.trim(), '1');
    assert.equal(second.out.trim(), '2');
    assert.equal(await readFile(join(cache, 'runs'), 'utf8'), '1\n2\n');
    assert.deepEqual(await listTree(rootfs), pristine);
  });

  test('a target whose parent is a symlink to an absolute path resolves inside the rootfs', async () => {
    await symlink('/var/tmp-target', join(rootfs, 'escape'));
    try {
      const r = await exec(rootfs, ['sh', '-c', 'ls -d /var/tmp-target/m'], {
        mounts: [{ type: 'tmpfs', target: '/escape/m' }],
      });
      assert.equal(r.out, '/var/tmp-target/m\n');
      await assert.rejects(lstat('/var/tmp-target'), 'nothing was created on the host');
    } finally {
      await rm(join(rootfs, 'escape'));
    }
    assert.deepEqual(await listTree(rootfs), pristine);
  });

  test('a directory a RUN wrote into is kept and reported', async () => {
    const reported: string[][] = [];
    const sb = new ChrootSandbox({ reason: 'test', onLeftBehind: (p) => reported.push(p) });
    const c = capture();
    await sb.run({
      rootfs,
      argv: ['sh', '-c', 'echo kept > /opt/kept'],
      env: [],
      cwd: '/',
      user: { uid: 0, gid: 0 },
      network: 'default',
      mounts: [{ type: 'tmpfs', target: '/opt/t' }],
      stdout: c.stdout,
      stderr: c.stderr,
    });
    assert.deepEqual(reported, [['/opt']]);
    assert.equal(await readFile(join(rootfs, 'opt/kept'), 'utf8'), 'kept\n');
    await rm(join(rootfs, 'opt'), { recursive: true });
  });

  test('abort stops the whole process tree, daemons included', async () => {
    const ac = new AbortController();
    const c = capture();
    const marker = '987654';
    const done = sandbox.run({
      rootfs,
      argv: ['sh', '-c', `setsid sleep ${marker} & sleep ${marker} & echo started; wait`],
      env: [],
      cwd: '/',
      user: { uid: 0, gid: 0 },
      network: 'default',
      mounts: [],
      stdout: c.stdout,
      stderr: c.stderr,
      signal: ac.signal,
      killGraceMs: 500,
    });
    await new Promise<void>((resolve) => c.stdout.once('data', () => resolve()));
    const sleeping = async (): Promise<number> => {
      const tree = await descendants(1);
      let n = 0;
      for (const p of tree) {
        const cmd = await readFile(`/proc/${p.pid}/cmdline`, 'utf8').catch(() => '');
        if (cmd === `sleep\0${marker}\0`) n++;
      }
      return n;
    };
    assert.equal(await sleeping(), 2);
    ac.abort();
    const res = await done;
    assert.ok(res.exitCode > 128, `exit ${res.exitCode}`);
    assert.ok(res.signal, 'reports the signal');
    assert.equal(await sleeping(), 0);
  });
});

describe('chroot sandbox (debian rootfs)', () => {
  let work: string;
  let rootfs: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kts-sandbox-chroot-deb-'));
    rootfs = await unpack('debian', work);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('bash, useradd and chown work; files keep the owners RUN gave them', async () => {
    const r = await exec(rootfs, [
      'bash',
      '-c',
      'useradd -u 1234 -m builder && install -d -o builder /srv/b && su builder -s /bin/bash -c "touch /srv/b/f" && stat -c %U:%u /srv/b/f',
    ]);
    assert.equal(r.exitCode, 0, r.err);
    assert.equal(r.out, 'builder:1234\n');
    assert.equal((await stat(join(rootfs, 'srv/b/f'))).uid, 1234);
  });

  test('a command killed by a signal reports 128+n', async () => {
    const r = await exec(rootfs, ['bash', '-c', 'kill -9 $$']);
    assert.equal(r.exitCode, 137);
  });

  test('a spawn that cannot start is an error, not a hang', async () => {
    const child = spawn('/bin/true');
    await new Promise((resolve) => child.on('close', resolve));
    await assert.rejects(exec(join(work, 'missing-rootfs'), ['true']));
  });
});
