// Bench: extract the debian fixture (index fed during extraction), then time no-change
// snapshots of it (the cost every RUN pays) and a from-scratch walk for comparison.
// Run: node_modules/.bin/node bench/layer-snapshot.ts [--runs 15]
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractLayer } from '../src/fs/extract.ts';
import { Snapshotter } from '../src/fs/snapshot.ts';
import { FsIndex } from '../src/fs/stat-index.ts';
import { ensureFixtures, fixtureLayout } from '../test/support/fixtures.ts';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt === -1 ? 15 : Number(process.argv[runsAt + 1]);
if (!(runs >= 1)) throw new Error('--runs needs a positive number');
await ensureFixtures(['debian']);
const layout = fixtureLayout('debian');
const blob = (d: string) => join(layout, 'blobs', ...d.split(':'));
const index0 = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
  manifests: Array<{ digest: string }>;
};
const manifest = JSON.parse(readFileSync(blob(index0.manifests[0]!.digest), 'utf8')) as {
  layers: Array<{ digest: string; mediaType: string }>;
};

const root = await mkdtemp(join(tmpdir(), 'kts-bench-snap-'));
try {
  const index = new FsIndex();
  let t = performance.now();
  for (const l of manifest.layers)
    await extractLayer(createReadStream(blob(l.digest)), {
      root,
      mediaType: l.mediaType,
      index,
      createDevices: true,
    });
  const extractMs = performance.now() - t;

  const snap = new Snapshotter({ root, index });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    const r = snap.takeSnapshot();
    times.push(performance.now() - t);
    if (r.entries.length !== 0) throw new Error(`no-change snapshot found ${r.entries.length} entries`);
  }
  const walks: number[] = [];
  for (let i = 0; i < 3; i++) {
    const fresh = new Snapshotter({ root });
    t = performance.now();
    fresh.init();
    walks.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)]!;
  console.log(
    JSON.stringify(
      {
        files: index.size,
        extractMs: Math.round(extractMs),
        noChangeSnapshotMs: {
          median: +med.toFixed(1),
          min: +times[0]!.toFixed(1),
          max: +times.at(-1)!.toFixed(1),
          runs,
        },
        freshIndexWalkMs: walks.map((w) => Math.round(w)),
        maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        loadavg: (await import('node:os')).loadavg().map((l) => +l.toFixed(1)),
      },
      null,
      2,
    ),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
