// SOURCE_DATE_EPOCH in the environment, as reproducible-builds.org defines it: two builds of the
// same context whose files have different mtimes give the same image digest, because file times
// after the epoch are clamped to it and `created` is the epoch. Without the variable the layer
// itself differs (not only `created`). FROM scratch + COPY needs neither a registry nor RUN.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, describe, test } from 'node:test';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { kanikoBuild } from '../support/kaniko-ts.ts';

const EPOCH = 1_000_000_000; // 2001-09-09T01:46:40Z
const OLD = 500_000_000; // before the epoch: kept as it is
const work = await mkdtemp(join(tmpdir(), 'kts-sde-'));

interface Built {
  digest: string;
  created: string;
  diffIds: string[];
  /** mtime (seconds) of each regular file in the layer, by name. */
  mtimes: Map<string, number>;
}

/** Reads a blob of the OCI layout by digest. */
function blob(layout: string, digest: string): Promise<Buffer> {
  return readFile(join(layout, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
}

async function fileMtimes(gzipped: Buffer): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const ex = tar.extract();
  ex.on('entry', (header, stream, next) => {
    if (header.type === 'file') out.set(header.name, Math.floor(header.mtime!.getTime() / 1000));
    stream.on('end', next);
    stream.resume();
  });
  await pipeline(Readable.from([gzipped]), createGunzip(), ex);
  return out;
}

let n = 0;
/** Builds the context into a fresh OCI layout; `newMtime` is the mtime given to new.txt first. */
async function build(newMtime: number, env: NodeJS.ProcessEnv): Promise<Built> {
  const id = n++;
  const context = join(work, `ctx-${id}`);
  await mkdir(context);
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY old.txt new.txt /files/\n');
  await writeFile(join(context, 'old.txt'), 'old\n');
  await writeFile(join(context, 'new.txt'), 'new\n');
  await utimes(join(context, 'old.txt'), OLD, OLD);
  await utimes(join(context, 'new.txt'), newMtime, newMtime);
  const layout = join(work, `oci-${id}`);
  const digestFile = join(work, `digest-${id}`);
  const r = await kanikoBuild({
    context,
    extraArgs: ['--oci-layout-path', layout, '--digest-file', digestFile],
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const manifest = JSON.parse((await blob(layout, index.manifests[0]!.digest)).toString()) as {
    config: { digest: string };
    layers: { digest: string; mediaType: string }[];
  };
  const config = JSON.parse((await blob(layout, manifest.config.digest)).toString()) as {
    created: string;
    rootfs: { diff_ids: string[] };
  };
  assert.equal(manifest.layers.length, 1);
  assert.match(manifest.layers[0]!.mediaType, /gzip/);
  return {
    digest: (await readFile(digestFile, 'utf8')).trim(),
    created: config.created,
    diffIds: config.rootfs.diff_ids,
    mtimes: await fileMtimes(await blob(layout, manifest.layers[0]!.digest)),
  };
}

describe('SOURCE_DATE_EPOCH from the environment', () => {
  after(() => rm(work, { recursive: true, force: true }));

  test('two builds with different file mtimes give the same digest; without it they differ', async () => {
    const withEpoch = { SOURCE_DATE_EPOCH: String(EPOCH) };
    const a = await build(2_000_000_000, withEpoch);
    const b = await build(2_100_000_000, withEpoch);
    assert.match(a.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(a.digest, b.digest);
    assert.equal(a.created, '2001-09-09T01:46:40Z');
    // Clamped, not replaced: only times after the epoch move.
    assert.deepEqual([...a.mtimes].sort(), [
      ['files/new.txt', EPOCH],
      ['files/old.txt', OLD],
    ]);

    // The variable unset (whatever the caller's environment holds): the file times reach the layer.
    const noEpoch = { SOURCE_DATE_EPOCH: undefined };
    const c = await build(2_000_000_000, noEpoch);
    const d = await build(2_100_000_000, noEpoch);
    assert.notEqual(c.digest, d.digest);
    assert.notDeepEqual(c.diffIds, d.diffIds);
    assert.equal(c.mtimes.get('files/new.txt'), 2_000_000_000);
    assert.equal(d.mtimes.get('files/new.txt'), 2_100_000_000);
  });
});
