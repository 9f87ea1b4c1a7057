import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { copyInto } from '../../../src/fs/copy.ts';
import { addUrl } from '../../../src/fs/download.ts';
import { CopyError, DownloadError, SourceNotFoundError, UnsafeEntryError } from '../../../src/fs/errors.ts';
import { archive, file } from './craft-tar.ts';

const base = await mkdtemp(join(tmpdir(), 'kts-copy-'));
after(() => rm(base, { recursive: true, force: true }));
const asRoot = process.getuid?.() === 0;

let ctx = '';
let root = '';
let n = 0;
beforeEach(async () => {
  ctx = join(base, `ctx${n}`);
  root = join(base, `root${n++}`);
  await mkdir(join(ctx, 'src/lib'), { recursive: true });
  await mkdir(join(ctx, 'docs'), { recursive: true });
  await writeFile(join(ctx, 'a.txt'), 'a');
  await writeFile(join(ctx, 'b.txt'), 'b');
  await writeFile(join(ctx, 'src/main.go'), 'package main');
  await writeFile(join(ctx, 'src/lib/util.go'), 'package lib');
  await writeFile(join(ctx, 'src/lib/util_test.go'), 'package lib');
  await writeFile(join(ctx, 'docs/readme.md'), '# hi');
  await mkdir(join(root, 'etc'), { recursive: true });
  await writeFile(
    join(root, 'etc/passwd'),
    'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n',
  );
  await writeFile(join(root, 'etc/group'), 'root:x:0:\nstaff:x:50:\napp:x:1001:\n');
});

const copy = (paths: string[], dest: string, extra: Partial<Parameters<typeof copyInto>[0]> = {}) =>
  copyInto({ root, sources: { base: ctx, paths }, dest, ...extra });

describe('copyInto', () => {
  test('a file into a directory (trailing slash) and to a new name', async () => {
    const r1 = await copy(['a.txt'], '/app/');
    assert.equal(await readFile(join(root, 'app/a.txt'), 'utf8'), 'a');
    assert.deepEqual(r1.paths, ['/app', '/app/a.txt']);
    await copy(['b.txt'], '/app/renamed');
    assert.equal(await readFile(join(root, 'app/renamed'), 'utf8'), 'b');
  });

  test('a directory copies its contents, not itself', async () => {
    const r = await copy(['src'], '/code');
    assert.deepEqual((await readdir(join(root, 'code'))).sort(), ['lib', 'main.go']);
    assert.ok(r.paths.includes('/code/lib/util.go'));
  });

  test('wildcards follow Go filepath.Match: * does not cross /', async () => {
    await copy(['*.txt'], '/w/');
    assert.deepEqual((await readdir(join(root, 'w'))).sort(), ['a.txt', 'b.txt']);
    await copy(['src/*/util.g?', 'src/lib/util[_a-z]*.go'], '/x/');
    assert.deepEqual((await readdir(join(root, 'x'))).sort(), ['util.go', 'util_test.go']);
  });

  test('a missing source or a wildcard matching nothing is a typed error naming the source', async () => {
    await assert.rejects(
      copy(['nope.txt'], '/app/'),
      (e: unknown) => e instanceof SourceNotFoundError && e.source === 'nope.txt',
    );
    await assert.rejects(
      copy(['*.none'], '/app/'),
      (e: unknown) => e instanceof SourceNotFoundError && e.source === '*.none',
    );
  });

  test('.dockerignore predicate and --exclude leave paths out', async () => {
    const r = await copyInto({
      root,
      sources: { base: ctx, paths: ['.'], ignored: (p) => p === 'docs' || p.startsWith('docs/') },
      dest: '/all',
      exclude: ['*.txt', 'src/lib/*_test.go'],
    });
    assert.deepEqual((await readdir(join(root, 'all'))).sort(), ['src']);
    assert.ok(!r.paths.some((p) => p.includes('_test')));
    await assert.rejects(
      copyInto({
        root,
        sources: { base: ctx, paths: ['docs/readme.md'], ignored: (p) => p.startsWith('docs') },
        dest: '/d/',
      }),
      SourceNotFoundError,
    );
  });

  test('--exclude is matched relative to each source, and against the names a wildcard matched', async () => {
    await copyInto({
      root,
      sources: { base: ctx, paths: ['src/'] },
      dest: '/ex/',
      exclude: ['lib/*_test.go'],
    });
    assert.ok(await stat(join(root, 'ex/lib/util.go')));
    await assert.rejects(stat(join(root, 'ex/lib/util_test.go')));
    await copyInto({ root, sources: { base: ctx, paths: ['*.txt', 'src'] }, dest: '/wc/', exclude: ['a.*'] });
    await assert.rejects(stat(join(root, 'wc/a.txt')));
    assert.ok(await stat(join(root, 'wc/lib/util.go')));
  });

  test('--parents keeps the source directories', async () => {
    await copy(['src/lib/util.go', 'a.txt'], '/p/', { parents: true });
    assert.ok(await stat(join(root, 'p/src/lib/util.go')));
    assert.ok(await stat(join(root, 'p/a.txt')));
  });

  test('relative destinations use the workdir; several sources need a trailing slash', async () => {
    await copy(['a.txt'], 'rel/', { workdir: '/srv/www' });
    assert.ok(await stat(join(root, 'srv/www/rel/a.txt')));
    await assert.rejects(copy(['a.txt', 'b.txt'], '/multi'), CopyError);
  });

  test('a symlinked destination is followed inside the root, never outside it', async () => {
    const outside = join(base, `outside${n}`);
    await mkdir(outside);
    await symlink(outside, join(root, 'abs')); // absolute target: means <root><outside>
    await mkdir(join(root, 'real'));
    await symlink('real', join(root, 'app'));
    await copy(['a.txt'], '/app/');
    assert.ok(await stat(join(root, 'real/a.txt')));
    await copy(['b.txt'], '/abs/');
    assert.deepEqual(await readdir(outside), []);
    assert.ok(await stat(join(root, outside, 'b.txt')));
  });

  test('--chmod octal and symbolic; new files are root-owned unless --chown', async () => {
    await copy(['a.txt'], '/m/o', { chmod: '0751' });
    assert.equal((await stat(join(root, 'm/o'))).mode & 0o7777, 0o751);
    await copy(['src'], '/m/s', { chmod: 'u=rwX,go=rX' });
    assert.equal((await stat(join(root, 'm/s/main.go'))).mode & 0o7777, 0o644);
    assert.equal((await stat(join(root, 'm/s/lib'))).mode & 0o7777, 0o755);
  });

  test('--chown by name resolves in the target /etc/passwd and /etc/group', {
    skip: !asRoot && 'needs root',
  }, async () => {
    await copy(['a.txt'], '/o/', { chown: 'app:staff' });
    const st = await stat(join(root, 'o/a.txt'));
    assert.deepEqual([st.uid, st.gid], [1000, 50]);
    assert.deepEqual([(await stat(join(root, 'o'))).uid], [1000], 'created directories too');
    await copy(['b.txt'], '/o/', { chown: '1234' });
    const st2 = await stat(join(root, 'o/b.txt'));
    assert.deepEqual([st2.uid, st2.gid], [1234, 1234]);
    await assert.rejects(copy(['b.txt'], '/o/', { chown: 'ghost' }), CopyError);
  });

  test('symlinks inside a copied directory stay symlinks; hardlinks stay hardlinks', async () => {
    await symlink('main.go', join(ctx, 'src/alias'));
    await link(join(ctx, 'src/main.go'), join(ctx, 'src/main2.go'));
    await copy(['src'], '/h/');
    assert.equal(await readlink(join(root, 'h/alias')), 'main.go');
    assert.equal((await lstat(join(root, 'h/main.go'))).ino, (await lstat(join(root, 'h/main2.go'))).ino);
  });

  test('ADD extracts local archives in every compression, with the hostile-tar rules', async () => {
    await mkdir(join(ctx, 'payload/dir'), { recursive: true });
    await writeFile(join(ctx, 'payload/dir/f'), 'payload');
    for (const [flag, ext] of [
      ['-z', 'tgz'],
      ['-j', 'tbz2'],
      ['-J', 'txz'],
      ['--zstd', 'tzst'],
      ['', 'tar'],
    ] as const) {
      const name = `p.${ext}`;
      execFileSync('tar', [
        '-c',
        ...(flag ? [flag] : []),
        '-f',
        join(ctx, name),
        '-C',
        join(ctx, 'payload'),
        'dir',
      ]);
      const r = await copyInto({
        root,
        sources: { base: ctx, paths: [name] },
        dest: `/x-${ext}/`,
        extractArchives: true,
      });
      assert.equal(await readFile(join(root, `x-${ext}/dir/f`), 'utf8'), 'payload', ext);
      assert.ok(r.paths.includes(`/x-${ext}/dir/f`));
    }
    await writeFile(join(ctx, 'evil.tar'), archive(file('../../escape', 'x')));
    await assert.rejects(
      copyInto({ root, sources: { base: ctx, paths: ['evil.tar'] }, dest: '/e/', extractArchives: true }),
      UnsafeEntryError,
    );
    // COPY never extracts.
    await copy(['p.tgz'], '/plain/');
    assert.ok((await stat(join(root, 'plain/p.tgz'))).isFile());
  });
});

describe('addUrl', () => {
  const body = Buffer.from('downloaded content');
  const sum = createHash('sha256').update(body).digest('hex');
  let url = '';
  const server = createServer((req, res) => {
    if (req.url === '/files/tool.tar.gz') {
      res.writeHead(200, { 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      res.end(body);
    } else if (req.url === '/redirect') {
      res.writeHead(302, { location: '/files/tool.tar.gz' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('downloads into a directory without extracting, with --checksum, mode 600 and Last-Modified', async () => {
    const r = await addUrl({
      root,
      url: `${url}/files/tool.tar.gz`,
      dest: '/dl/',
      checksum: `sha256:${sum}`,
    });
    const st = await stat(join(root, 'dl/tool.tar.gz'));
    assert.deepEqual(await readFile(join(root, 'dl/tool.tar.gz')), body);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(st.mtimeMs, Date.parse('2015-10-21T07:28:00Z'));
    assert.deepEqual(r.paths, ['/dl', '/dl/tool.tar.gz']);
  });

  test('follows redirects and writes to a file destination', async () => {
    await addUrl({ root, url: `${url}/redirect`, dest: '/opt/tool' });
    assert.deepEqual(await readFile(join(root, 'opt/tool')), body);
  });

  test('a checksum mismatch or an HTTP error fails and leaves nothing behind; credentials are not echoed', async () => {
    await assert.rejects(
      addUrl({ root, url: `${url}/files/tool.tar.gz`, dest: '/bad/', checksum: `sha256:${'0'.repeat(64)}` }),
      (e: unknown) => e instanceof DownloadError && /checksum mismatch/.test(e.message),
    );
    assert.deepEqual(await readdir(join(root, 'bad')), []);
    const secretUrl = url.replace('http://', 'http://user:hunter2@');
    await assert.rejects(addUrl({ root, url: `${secretUrl}/missing`, dest: '/bad/' }), (e: unknown) => {
      assert.ok(e instanceof DownloadError);
      assert.match(e.message, /HTTP 404/);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
  });
});
