// Bench: one layer holding a single 300 MB incompressible file, written with the default gzip
// and with zstd; each compression runs in its own process so its peak RSS is its own.
// Run: node_modules/.bin/node bench/layer-write.ts [--mb 300] [--runs 3] [--data random|binaries]
// --data random (the default) is incompressible; --data binaries fills the file with this machine's
// own programs and libraries (/usr/bin, /usr/lib), which gzip really compresses (about 2.5:1).
// Each child runs twice per run: bundled with esbuild, as the executor ships (npm run bundle), and
// from the TypeScript sources, whose type stripping costs Node about 40 MB of RSS of its own.
// Prints the best wall time per compression and mode, and every run with the load average.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
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
const runs = Number(arg('--runs') ?? 3);
const work = await mkdtemp(join(tmpdir(), 'kts-bench-layer-'));
try {
  const bundled = join(work, 'layer-write.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [import.meta.filename],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: bundled,
    external: ['esbuild'],
    logLevel: 'error',
  });
  const src = join(work, 'blob.bin');
  const data = arg('--data') ?? 'random';
  const fd = openSync(src, 'w');
  if (data === 'binaries') writeBinaries(fd, mb << 20);
  else {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let i = 0; i < mb; i++) writeSync(fd, randomFillSync(buf));
  }
  closeSync(fd);
  const results: Array<Record<string, unknown>> = [];
  for (let run = 1; run <= runs; run++)
    for (const compression of ['gzip', 'zstd', 'none'] as const)
      for (const [mode, script] of [
        ['bundled', bundled],
        ['source', import.meta.filename],
      ] as const) {
        const out = join(work, compression);
        await mkdir(out);
        const load = loadavg()[0]!.toFixed(2);
        const stdout = execFileSync(
          process.execPath,
          [script, '--child', compression, '--src', src, '--out', out],
          { encoding: 'utf8' },
        );
        results.push({ run, mode, load1m: +load, ...JSON.parse(stdout.trim()) });
        await rm(out, { recursive: true, force: true });
      }
  const best: Record<string, unknown> = {};
  const walls: Record<string, number[]> = {};
  for (const r of results) {
    const key = `${r.compression} ${r.mode}`;
    const prev = best[key] as { wallMs: number } | undefined;
    if (!prev || (r.wallMs as number) < prev.wallMs) best[key] = r;
    walls[key] = [...(walls[key] ?? []), r.wallMs as number];
  }
  const medianWallMs = Object.fromEntries(
    Object.entries(walls).map(([k, v]) => [k, v.sort((a, b) => a - b)[Math.floor(v.length / 2)]]),
  );
  console.log(
    JSON.stringify(
      {
        fileMB: mb,
        data,
        cores: cpus().length,
        loadavgAtEnd: loadavg().map((l) => +l.toFixed(2)),
        medianWallMs,
        best,
        results,
      },
      null,
      2,
    ),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}

/** Fills `fd` with `bytes` bytes of the machine's own executables and libraries, cycling. */
function writeBinaries(fd: number, bytes: number): void {
  const files: string[] = [];
  for (const dir of ['/usr/bin', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'])
    try {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        const st = statSync(p, { throwIfNoEntry: false });
        if (st?.isFile() && st.size > 0) files.push(p);
      }
    } catch {
      // a directory this architecture does not have
    }
  if (files.length === 0) throw new Error('no files under /usr to fill the blob with');
  let left = bytes;
  for (let i = 0; left > 0; i = (i + 1) % files.length) {
    let b: Buffer;
    try {
      b = readFileSync(files[i]!);
    } catch {
      continue;
    }
    const part = b.subarray(0, Math.min(b.length, left));
    writeSync(fd, part);
    left -= part.length;
  }
}
