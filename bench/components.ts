// Runs the benches of single parts (not whole builds) one after another and writes what each
// printed, with the commit, the machine and its load, to bench/COMPONENTS.md.
// Run: node_modules/.bin/node bench/components.ts [--only parse,snapshot,layer,layer-binaries,blob]
// Needs what the parts need: the debian fixture (test/support/prepare-fixtures.ts), GNU time,
// docker-registry and skopeo (for blob), and about 10 GiB free in $TMPDIR for the 1 GiB blob.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

interface Part {
  name: string;
  script: string;
  args: string[];
  target: string;
}

const PARTS: Part[] = [
  {
    name: 'parse',
    script: 'dockerfile-parse.ts',
    args: ['--lines', '10000', '--runs', '30'],
    target: 'a 10,000-line Dockerfile parsed well under 100 ms (#5)',
  },
  {
    name: 'snapshot',
    script: 'layer-snapshot.ts',
    args: ['--runs', '15'],
    target: 'a no-change snapshot of the debian rootfs well under 100 ms (#6)',
  },
  {
    name: 'layer',
    script: 'layer-write.ts',
    args: ['--mb', '300', '--runs', '3'],
    target: '300 MB incompressible: gzip < 3 s, zstd < 1.5 s, peak RSS < 150 MB (#6)',
  },
  {
    name: 'layer-binaries',
    script: 'layer-write.ts',
    args: ['--mb', '300', '--runs', '3', '--data', 'binaries'],
    target: 'the same with compressible data (programs and libraries), where gzip does real work',
  },
  {
    name: 'blob',
    script: 'registry-blob.ts',
    args: ['--mb', '1024'],
    target: '1 GiB blob pushed and pulled with peak RSS < 150 MB, throughput against skopeo copy (#4)',
  },
];

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const only = arg('--only')?.split(',');
const here = import.meta.dirname;
const git = (...a: string[]) => execFileSync('git', a, { cwd: here, encoding: 'utf8' }).trim();
// Only code counts: this file's own output and the README do not change what is measured.
const dirty = git('status', '--porcelain', '--', '../src', '../scripts', '../bench')
  .split('\n')
  .some((l) => /\.ts$/.test(l.trim()));

const sections: string[] = [];
for (const part of PARTS) {
  if (only && !only.includes(part.name)) continue;
  const cmd = `node bench/${part.script} ${part.args.join(' ')}`;
  process.stderr.write(`bench ${part.name}: ${cmd}\n`);
  const load = loadavg()[0]!.toFixed(2);
  const r = spawnSync(process.execPath, [join(here, part.script), ...part.args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  const status = r.status === 0 ? '' : ` — **failed** (exit ${r.status ?? r.signal})`;
  sections.push(
    `## ${part.name}${status}\n\nTarget: ${part.target}.\n\n\`${cmd}\`, load average ${load} at the start:\n\n\`\`\`\n${r.stdout.trim()}\n\`\`\`\n`,
  );
}

const header = [
  '# Benches of single parts',
  '',
  `Written by \`node bench/components.ts\` on ${new Date().toISOString()} at ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes to the code in src/, scripts/ or bench/)' : ''}.`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  'Each section is what the bench printed; bench/README.md explains each one.',
  '',
];
writeFileSync(join(here, 'COMPONENTS.md'), `${header.join('\n')}\n${sections.join('\n')}`);
process.stderr.write(`wrote ${join(here, 'COMPONENTS.md')}\n`);
