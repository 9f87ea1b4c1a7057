// The stage-long sandbox of the chroot mode (warm-runner.ts): plain RUNs of one stage share one
// bubblewrap with a runner inside, yet each still gets its own environment, directory, user and
// output, nothing it left running survives it, and releasing the stage leaves the root clean.
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ChrootSandbox } from '../../src/sandbox/chroot.ts';
import type { RunResult, RunSpec } from '../../src/sandbox/types.ts';
import { run } from '../support/exec.ts';
import { ensureFixtures, fixtureLayout } from '../support/fixtures.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-warm-'));
let root: string;

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

type Spec = RunSpec & { read: () => string; readOut: () => string; readErr: () => string };

// Output is kept per stream as well as together: how the two interleave is up to the kernel.
function spec(argv: string[], over: Partial<RunSpec> = {}): Spec {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => {
    chunks.push(b);
    out.push(b);
  });
  stderr.on('data', (b: Buffer) => {
    chunks.push(b);
    err.push(b);
  });
  return {
    rootfs: root,
    argv,
    env: ['PATH=/bin:/usr/bin', 'GREETING=hello'],
    cwd: '/',
    user: { uid: 0, gid: 0 },
    network: 'default',
    mounts: [],
    stdout,
    stderr,
    keepWarm: true,
    ...over,
    read: () => Buffer.concat(chunks).toString(),
    readOut: () => Buffer.concat(out).toString(),
    readErr: () => Buffer.concat(err).toString(),
  };
}

describe('chroot sandbox kept warm for a stage', () => {
  const sandbox = new ChrootSandbox({ reason: 'test' });
  let pristine: string[];
  before(async () => {
    await ensureFixtures(['busybox']);
    await run('umoci', ['unpack', '--image', `${fixtureLayout('busybox')}:latest`, join(work, 'bb')]);
    root = join(work, 'bb', 'rootfs');
    pristine = await tree(root);
  });
  after(async () => {
    await sandbox.release(root);
    await rm(work, { recursive: true, force: true });
  });

  test('each command has its own exit status, environment, directory, user and output', async () => {
    const a = spec(['sh', '-c', 'echo "$GREETING from $(pwd) as $(id -u):$(id -g)"; exit 3'], {
      cwd: '/tmp',
    });
    const b = spec(['sh', '-c', 'echo second; echo to-stderr >&2; printf no-newline'], {
      env: ['PATH=/bin'],
      user: { uid: 1000, gid: 1000 },
    });
    const ra: RunResult = await sandbox.run(a);
    const rb: RunResult = await sandbox.run(b);
    assert.equal(ra.exitCode, 3);
    assert.equal(a.read(), 'hello from /tmp as 0:0\n');
    assert.equal(rb.exitCode, 0);
    assert.equal(b.readOut(), 'second\nno-newline');
    assert.equal(b.readErr(), 'to-stderr\n');
  });

  test('a command not found is 127 with a message, and the runner goes on', async () => {
    const s = spec(['no-such-command']);
    assert.equal((await sandbox.run(s)).exitCode, 127);
    assert.match(s.read(), /no-such-command/);
    assert.equal((await sandbox.run(spec(['true']))).exitCode, 0);
  });

  test('what a command leaves running is stopped before the next one', async () => {
    const first = spec(['sh', '-c', 'sleep 300 & echo $! > /tmp/bg.pid']);
    assert.equal((await sandbox.run(first)).exitCode, 0);
    const check = spec([
      'sh',
      '-c',
      'if kill -0 "$(cat /tmp/bg.pid)" 2>/dev/null; then echo alive; else echo gone; fi',
    ]);
    await sandbox.run(check);
    assert.equal(check.read(), 'gone\n');
  });

  test('the mount targets it keeps are reported, as a sandbox per RUN would have made them', async () => {
    const r = await sandbox.run(spec(['true']));
    // The busybox fixture has no /etc/hosts or /etc/resolv.conf: their stubs live in /etc.
    assert.deepEqual(r.touched, ['/etc']);
  });

  test('a command needing its own mounts runs beside the warm one', async () => {
    const s = spec(['sh', '-c', 'echo x > /scratch/f && cat /scratch/f'], {
      mounts: [{ type: 'tmpfs', target: '/scratch' }],
    });
    assert.equal((await sandbox.run(s)).exitCode, 0);
    assert.equal(s.read(), 'x\n');
  });

  test('an abort stops the command and the runner; the next command gets a new one', async () => {
    const controller = new AbortController();
    const s = spec(['sh', '-c', 'echo started; sleep 300'], { signal: controller.signal });
    s.stdout.on('data', (b: Buffer) => {
      if (b.toString().includes('started')) controller.abort();
    });
    const r = await sandbox.run(s);
    assert.ok(r.exitCode > 128, `exit ${r.exitCode}`);
    assert.equal((await sandbox.run(spec(['true']))).exitCode, 0);
  });

  test('release ends it and leaves the root as the commands left it, without mount targets', async () => {
    await sandbox.release(root);
    const now = await tree(root);
    const added = now.filter((p) => !pristine.includes(p));
    assert.deepEqual(added, ['tmp/bg.pid']);
    await assert.rejects(lstat(join(root, 'etc/hosts')));
    await assert.rejects(lstat(join(root, 'scratch')));
  });
});
