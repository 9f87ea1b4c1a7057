// resolveContext with local archives: hostile entries refused as context errors, .wh. names kept
// as ordinary files, --context-sub-path kept inside a fetched context, directories as given.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ContextError } from '../../../src/build/errors.ts';
import { resolveContext } from '../../../src/context/resolve.ts';
import { archive, dir, file, symlink as tarSymlink } from '../fs/craft-tar.ts';

describe('resolveContext', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kts-resolve-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  async function tarFile(name: string, bytes: Buffer): Promise<string> {
    const p = join(work, name);
    await writeFile(p, bytes);
    return p;
  }

  test('a directory is used in place; a missing one is a context error', async () => {
    const d = join(work, 'plain');
    await mkdir(join(d, 'sub'), { recursive: true });
    assert.deepEqual(await resolveContext(d, undefined), { dir: d, source: d, kind: 'dir' });
    assert.equal((await resolveContext(`dir://${d}`, 'sub')).dir, join(d, 'sub'));
    await assert.rejects(resolveContext(join(work, 'missing'), undefined), ContextError);
    await assert.rejects(resolveContext(d, 'nope'), /sub path nope\): no such directory/);
  });

  test('tar.gz into <workDir>/context, .wh. files are plain files', async () => {
    const p = await tarFile(
      'a.tar.gz',
      gzipSync(archive(dir('app/'), file('app/.wh.keep', 'x'), file('app/f', 'hi'))),
    );
    const workDir = await mkdtemp(join(work, 'wd-'));
    const lines: string[] = [];
    const r = await resolveContext(`tar://${p}`, undefined, { workDir, log: (l) => lines.push(l) });
    assert.equal(r.dir, join(workDir, 'context'));
    assert.deepEqual((await readdir(join(r.dir, 'app'))).sort(), ['.wh.keep', 'f']);
    assert.equal(await readFile(join(r.dir, 'app', 'f'), 'utf8'), 'hi');
    assert.ok(
      lines.some((l) => /fetched \d+ bytes, 3 entries \(gzip\)/.test(l)),
      lines.join('\n'),
    );
  });

  test('entries escaping the context are refused as context errors', async () => {
    const p = await tarFile('evil.tar', archive(file('../escape', 'x')));
    await assert.rejects(
      resolveContext(`tar://${p}`, undefined, { workDir: await mkdtemp(join(work, 'wd-')) }),
      (e: Error) => {
        assert.ok(e instanceof ContextError, String(e));
        assert.match(e.message, /^context tar:\/\/.*evil\.tar: /);
        return true;
      },
    );
  });

  test('--context-sub-path may not leave a fetched context through a symlink', async () => {
    const p = await tarFile('link.tar', archive(dir('ok/'), tarSymlink('out', '/etc')));
    const opts = () => ({ workDir: join(work, `wd-${Math.random()}`) });
    assert.equal((await resolveContext(`tar://${p}`, 'ok', opts())).kind, 'tar');
    await assert.rejects(resolveContext(`tar://${p}`, 'out', opts()), /leads outside the context/);
    await assert.rejects(
      resolveContext(`tar://${p}`, '../..', opts()),
      /leads outside the context|no such directory/,
    );
  });

  test('stdin: plain tar from a stream; a terminal is refused', async () => {
    const r = await resolveContext('tar://stdin', undefined, {
      workDir: await mkdtemp(join(work, 'wd-')),
      stdin: Readable.from([archive(file('Dockerfile', 'FROM scratch\n'))]),
    });
    assert.equal(await readFile(join(r.dir, 'Dockerfile'), 'utf8'), 'FROM scratch\n');
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    await assert.rejects(
      resolveContext('tar://stdin', undefined, { stdin: tty }),
      /standard input is a terminal/,
    );
  });

  test('an empty archive is not a context', async () => {
    const p = await tarFile('empty.tar', archive());
    await assert.rejects(
      resolveContext(`tar://${p}`, undefined, { workDir: await mkdtemp(join(work, 'wd-')) }),
      /holds no files/,
    );
  });
});
