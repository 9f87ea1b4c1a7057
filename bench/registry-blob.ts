// Registry client throughput and memory: pushes and pulls an image with one 1 GiB layer (random,
// so incompressible) through kaniko-ts's registry client and through `skopeo copy`, in the same
// run against the same local docker-registry, each step a separate process under GNU time.
//
//   node bench/registry-blob.ts [--mb 1024]
//
// Prints MB/s and peak RSS per step. The target is a peak RSS under 150 MB whatever the size.
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { startRegistry, type TestRegistry } from '../test/support/registry.ts';

const STEP = fileURLToPath(new URL('./registry-blob-step.ts', import.meta.url));
const NODE = process.execPath;
/**
 * V8 frees streamed Buffers only after ~64 MB of them pile up unless young-generation GCs run
 * often; a small semi-space makes them run often. Measured with each --semi size (MB) given.
 */

interface Measured {
  seconds: number;
  maxRssMb: number;
}

/** Runs a command under GNU time; wall time from our side unless the child reports its own. */
function measure(cmd: string, args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS %M', cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) {
        reject(
          new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`),
        );
        return;
      }
      if (process.env.KTS_BENCH_MEMORY) process.stderr.write(err);
      if (code !== 0) {
        return;
      }
      const kb = Number(/MAXRSS (\d+)/.exec(err)?.[1] ?? 0);
      let seconds = wall;
      try {
        seconds = (JSON.parse(out) as { seconds: number }).seconds;
      } catch {
        // skopeo: wall time
      }
      resolve({ seconds, maxRssMb: kb / 1024 });
    });
    child.on('error', reject);
  });
}

async function makeBlob(path: string, mb: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < mb; i++) {
    randomFillSync(chunk);
    hash.update(chunk);
    if (!out.write(Buffer.from(chunk))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return `sha256:${hash.digest('hex')}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mb: { type: 'string', default: '1024' }, semi: { type: 'string', default: '1,4' } },
  });
  const semis = values.semi.split(',').filter(Boolean);
  const mb = Number(values.mb);
  const load0 = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const work = await mkdtemp(join(tmpdir(), 'kts-bench-blob-'));
  const registries = await Promise.all([0, 1, 2, ...semis].map(() => startRegistry()));
  const [ours, theirs, copies] = registries as [TestRegistry, TestRegistry, TestRegistry];
  const again = registries.slice(3);
  try {
    const blob = join(work, 'blob');
    process.stderr.write(`making a ${mb} MiB random blob...\n`);
    const digest = await makeBlob(blob, mb);
    const size = mb * 1024 * 1024;
    // The executor ships bundled (npm run bundle); measure the client the same way, so Node's
    // TypeScript stripping (about 50 MB of its own) is not counted.
    const stepJs = join(work, 'step.mjs');
    await build({
      entryPoints: [STEP],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile: stepJs,
      logLevel: 'error',
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    const rows: Array<[string, Measured]> = [];
    rows.push(['node -e 1 (baseline)', await measure(NODE, ['-e', '1'])]);
    const run = async (name: string, cmd: string, args: string[]) => {
      process.stderr.write(`${name}...\n`);
      rows.push([name, await measure(cmd, args)]);
    };
    await run('kaniko-ts push (file → registry)', NODE, [
      stepJs,
      'push',
      ours.host,
      blob,
      digest,
      String(size),
    ]);
    await run('kaniko-ts pull (registry → OCI layout)', NODE, [
      stepJs,
      'pull',
      ours.host,
      join(work, 'ours-layout'),
    ]);
    for (const [i, semi] of semis.entries()) {
      const flag = `--max-semi-space-size=${semi}`;
      const reg = again[i]!;
      await run(`kaniko-ts push, node ${flag}`, NODE, [
        flag,
        stepJs,
        'push',
        reg.host,
        blob,
        digest,
        String(size),
      ]);
      await run(`kaniko-ts pull, node ${flag}`, NODE, [
        flag,
        stepJs,
        'pull',
        reg.host,
        join(work, `layout-${semi}`),
      ]);
    }
    await run('skopeo copy (OCI layout → registry)', 'skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci:${join(work, 'ours-layout')}:1`,
      `docker://${theirs.host}/bench/skopeo:1`,
    ]);
    await run('skopeo copy (registry → OCI layout)', 'skopeo', [
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      `docker://${ours.host}/bench/ours:1`,
      `oci:${join(work, 'skopeo-layout')}:1`,
    ]);
    await run('skopeo copy (registry → registry)', 'skopeo', [
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `docker://${ours.host}/bench/ours:1`,
      `docker://${copies.host}/bench/copied:1`,
    ]);
    const index = JSON.parse(await readFile(join(work, 'ours-layout', 'index.json'), 'utf8')) as {
      manifests: Array<{ digest: string }>;
    };
    console.log(`blob: ${mb} MiB, image ${index.manifests[0]?.digest}`);
    // The machine is shared: the load beside the numbers says how much of it this run had.
    console.log(
      `load average at start ${load0}, at end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log('| step | seconds | MB/s | peak RSS (MB) |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, m] of rows) {
      const rate = name.includes('baseline') ? '' : (mb / m.seconds).toFixed(0);
      console.log(`| ${name} | ${m.seconds.toFixed(2)} | ${rate} | ${m.maxRssMb.toFixed(0)} |`);
    }
  } finally {
    await Promise.all(registries.map((r) => r.stop()));
    await rm(work, { recursive: true, force: true });
  }
}

await main();
