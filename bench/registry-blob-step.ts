// One measured step of bench/registry-blob.ts in its own process (bundled by it with esbuild):
//   push HOST BLOB DIGEST SIZE   an image of that one layer file, pushed to HOST/bench/ours:1
//   pull HOST DIR                HOST/bench/ours:1 pulled into an OCI layout at DIR
// Prints {"seconds": …}; with KTS_BENCH_MEMORY set, the peak of process.memoryUsage() on stderr.
import { fileLayer } from '../src/image/image.ts';
import { writeOciLayout } from '../src/image/layout.ts';
import { appendLayer, mutate, scratchConfig } from '../src/image/mutate.ts';
import { pushImage } from '../src/image/push.ts';
import { pullImage } from '../src/image/remote.ts';
import { MediaType } from '../src/image/types.ts';
import { parseReference } from '../src/registry/reference.ts';

const platform = { os: 'linux', architecture: 'amd64' };

async function step(args: string[]): Promise<void> {
  const [what, ...rest] = args;
  const t0 = performance.now();
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak) as Array<keyof typeof peak>)
      peak[k] = Math.max(peak[k], Math.round(m[k] / 2 ** 20));
  }, 50);
  if (what === 'push') {
    const [host, path, digest, size] = rest as [string, string, string, string];
    const layer = fileLayer({
      path,
      digest,
      diffID: digest,
      size: Number(size),
      mediaType: MediaType.dockerLayerGzip,
    });
    const config = appendLayer(scratchConfig(platform), layer, { created_by: 'bench' });
    const img = await mutate('scratch', { layers: [layer], config });
    await pushImage(img, [parseReference(`${host}/bench/ours:1`)], {});
  } else if (what === 'pull') {
    const [host, dir] = rest as [string, string];
    const img = await pullImage(parseReference(`${host}/bench/ours:1`), { platform, options: {} });
    await writeOciLayout(img, dir, '1');
  }
  clearInterval(sampler);
  if (process.env.KTS_BENCH_MEMORY) process.stderr.write(`${what} peak MB ${JSON.stringify(peak)}\n`);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
}

await step(process.argv.slice(2));
