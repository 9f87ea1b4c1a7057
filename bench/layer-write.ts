// Bench: one layer holding a single 300 MB incompressible file, written with the default gzip
// and with zstd; each compression runs in its own process so its peak RSS is its own.
// Run: node_modules/.bin/node bench/layer-write.ts [--mb 300]
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compression } from '../src/layer/entry.ts';
import { writeLayer } from '../src/layer/write-layer.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};

if (arg('--child')) {
  // Child: write one layer and report its own numbers.
  const [src, compression, out] = [arg('--src')!, arg('--child') as Compression, arg('--out')!];
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const l = await writeLayer([{ path: '/data/blob.bin', type: 'file', source: src, mode: 0o644 }], {
    dir: out,
    compression,
  });
  const wall = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      compression,
      wallMs: Math.round(wall),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      compressedMB: +(l.size / 1e6).toFixed(1),
      uncompressedMB: +(l.uncompressedSize / 1e6).toFixed(1),
    }),
  );
  process.exit(0);
}

const mb = Number(arg('--mb') ?? 300);
const work = await mkdtemp(join(tmpdir(), 'kts-bench-layer-'));
try {
  const src = join(work, 'blob.bin');
  const fd = openSync(src, 'w');
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let i = 0; i < mb; i++) writeSync(fd, randomFillSync(buf));
  closeSync(fd);
  const results = [];
  for (const compression of ['gzip', 'zstd', 'none'] as const) {
    const out = join(work, compression);
    await mkdir(out);
    const stdout = execFileSync(
      process.execPath,
      [import.meta.filename, '--child', compression, '--src', src, '--out', out],
      { encoding: 'utf8' },
    );
    results.push(JSON.parse(stdout.trim()));
    await rm(out, { recursive: true, force: true });
  }
  console.log(
    JSON.stringify(
      { fileMB: mb, cores: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(1)), results },
      null,
      2,
    ),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
