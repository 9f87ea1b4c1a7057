// The paths a snapshot leaves out, as kaniko does: kernel filesystems, the files the runtime
// bind-mounts, the builder's own directory, /var/run (and /run) with --ignore-var-run, and every
// --ignore-path. Checked on the list itself, on IgnoreList's matching, on the CLI flags that feed
// it, and on a real snapshot of a tree holding all of them.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseFlags } from '../../../src/cli/flags.ts';
import { toBuildOptions } from '../../../src/cli/options.ts';
import { defaultIgnorePaths, IgnoreList } from '../../../src/fs/ignore.ts';
import { Snapshotter } from '../../../src/fs/snapshot.ts';

const base = await mkdtemp(join(tmpdir(), 'kts-ignore-'));
after(() => rm(base, { recursive: true, force: true }));

const KERNEL_AND_RUNTIME = ['/proc', '/sys', '/dev', '/etc/hosts', '/etc/resolv.conf', '/etc/hostname'];

describe('defaultIgnorePaths', () => {
  test('kernel filesystems and runtime-mounted files, not /var/run unless asked', () => {
    const paths = defaultIgnorePaths();
    for (const p of KERNEL_AND_RUNTIME) assert.ok(paths.includes(p), p);
    assert.ok(!paths.includes('/var/run'));
    assert.ok(!paths.includes('/run'));
    assert.deepEqual(defaultIgnorePaths({ ignoreVarRun: false }), paths);
  });

  test('--ignore-var-run adds /var/run and /run; the builder dir and --ignore-path values are added', () => {
    const paths = defaultIgnorePaths({
      ignoreVarRun: true,
      builderDir: '/kaniko',
      extra: ['/cache', 'data/tmp/'],
    });
    for (const p of [...KERNEL_AND_RUNTIME, '/var/run', '/run', '/kaniko', '/cache', 'data/tmp/'])
      assert.ok(paths.includes(p), p);
    // IgnoreList normalises what users type.
    const list = new IgnoreList(paths);
    assert.ok(list.paths.includes('/data/tmp'));
    assert.ok(list.has('/data/tmp/x'));
  });
});

describe('IgnoreList', () => {
  const list = new IgnoreList(defaultIgnorePaths({ ignoreVarRun: true, extra: ['/opt/cache'] }));

  test('an ignored path and everything below it, nothing beside it', () => {
    for (const p of [
      '/proc',
      '/proc/1/status',
      '/sys/kernel',
      '/dev/null',
      '/etc/hosts',
      '/var/run/docker.sock',
    ])
      assert.ok(list.has(p), p);
    for (const p of [
      '/',
      '/procfs',
      '/etc',
      '/etc/hosts.allow',
      '/etc/hostname2',
      '/var',
      '/var/runner',
      '/opt',
    ])
      assert.ok(!list.has(p), p);
    assert.ok(list.has('/opt/cache/x'));
    assert.ok(list.isIgnoredExactly('/opt/cache'));
    assert.ok(!list.isIgnoredExactly('/opt/cache/x'));
  });

  test('"/" or an empty --ignore-path ignores nothing', () => {
    const l = new IgnoreList(['/', '', '//']);
    assert.deepEqual(l.paths, []);
    assert.ok(!l.has('/etc/passwd'));
  });
});

describe('CLI flags to the ignore list', () => {
  test('--ignore-var-run and repeated --ignore-path reach the build options', () => {
    const parse = (...argv: string[]) => toBuildOptions(parseFlags(['--no-push', ...argv]), {});
    const given = parse('--ignore-var-run', '--ignore-path', '/cache', '--ignore-path=/data/tmp');
    assert.equal(given.ignoreVarRun, true);
    assert.deepEqual(given.ignorePaths, ['/cache', '/data/tmp']);
    assert.equal(parse('--ignore-var-run=false').ignoreVarRun, false);
    // Not given: undefined, so the sandboxed build keeps the image's /var/run as BuildKit does.
    assert.equal(parse().ignoreVarRun, undefined);
    assert.deepEqual(parse().ignorePaths, []);
  });
});

describe('a snapshot with the default list', () => {
  test('leaves out every ignored path, walks nothing below them and whites none of them out', async () => {
    const root = join(base, 'root');
    const files = [
      'proc/1/status',
      'sys/kernel/x',
      'dev/null',
      'etc/hosts',
      'etc/resolv.conf',
      'etc/hostname',
      'var/run/pid',
      'run/lock',
      'kaniko/executor',
      'cache/blob',
      'data/tmp/t',
      // Kept: neighbours with similar names.
      'etc/hosts.allow',
      'etc/passwd',
      'var/runner/x',
      'data/keep',
      'procfs',
    ];
    for (const f of files) {
      await mkdir(join(root, f, '..'), { recursive: true });
      await writeFile(join(root, f), f);
    }
    const ignore = new IgnoreList(
      defaultIgnorePaths({ ignoreVarRun: true, builderDir: '/kaniko', extra: ['/cache', '/data/tmp'] }),
    );
    const snapshotter = new Snapshotter({ root, ignore });
    const first = snapshotter.takeSnapshot();
    const paths = first.entries.map((e) => e.path).sort();
    assert.deepEqual(paths, [
      '/data',
      '/data/keep',
      '/etc',
      '/etc/hosts.allow',
      '/etc/passwd',
      '/procfs',
      '/var',
      '/var/runner',
      '/var/runner/x',
    ]);
    // Deleting ignored files (a runtime unmounting them) makes no whiteout.
    await unlink(join(root, 'etc/hosts'));
    await unlink(join(root, 'var/run/pid'));
    await unlink(join(root, 'etc/passwd'));
    const second = snapshotter.takeSnapshot();
    assert.deepEqual(
      second.entries.filter((e) => e.type === 'whiteout').map((e) => e.path),
      ['/etc/passwd'],
    );
  });
});
