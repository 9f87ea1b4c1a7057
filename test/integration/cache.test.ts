// The layer cache end to end, with the CLI as a user runs it: which steps ran and which came
// from the cache (BuildKit's `#N CACHED` lines), what invalidates a step, corrupt and shared
// cache directories, and the warm registry-cache rebuild that fetches no base layer.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { executorCommand } from '../../action/executor-command.ts';
import { type RunResult, run } from '../support/exec.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { byPath, inspectImage } from '../support/inspect.ts';
import { CLI, type CliBuild, kanikoBuild } from '../support/kaniko-ts.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

/** The executor as the GitHub Action ships it (dist/ is kept equal to the sources by action-dist). */
const DIST_EXECUTOR = new URL('../../dist/executor/kaniko-ts.js', import.meta.url).pathname;
/** The benchmark scenarios (../shared/bench beside the repository). */
const SHARED_BENCH = new URL('../../../shared/bench/', import.meta.url).pathname;

/** The build's steps by their `[i/n] instruction` title, each 'ran' or 'cached'. */
function steps(r: RunResult): Map<string, 'ran' | 'cached'> {
  const titles = new Map<string, string>();
  const out = new Map<string, 'ran' | 'cached'>();
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const m = /^#(\d+) (\[(?:\S+ )?\d+\/\d+\] .*)$/.exec(line);
    if (m) {
      titles.set(m[1]!, m[2]!);
      continue;
    }
    const d = /^#(\d+) (DONE|CACHED)\b/.exec(line);
    const title = d ? titles.get(d[1]!) : undefined;
    if (d && title) out.set(title, d[2] === 'CACHED' ? 'cached' : 'ran');
  }
  return out;
}

/** Titles of layer steps that ran (metadata steps always "run": they make no layer). */
function ran(r: RunResult): string[] {
  return [...steps(r)]
    .filter(([t, s]) => s === 'ran' && /\] (RUN|COPY|ADD|WORKDIR) /.test(t))
    .map(([t]) => t);
}

function cached(r: RunResult): string[] {
  return [...steps(r)].filter(([, s]) => s === 'cached').map(([t]) => t);
}

function digestOf(r: RunResult): string {
  const m = /image digest (sha256:[0-9a-f]{64})/.exec(`${r.stdout}\n${r.stderr}`);
  assert.ok(m, `no digest in output:\n${r.stderr}`);
  return m[1]!;
}

async function ok(b: CliBuild): Promise<RunResult> {
  const r = await kanikoBuild(b);
  assert.equal(r.code, 0, `build failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

let reg: TestRegistry;
let work: string;

before(async () => {
  reg = await startRegistry();
  await pushBaseImages(reg);
  work = await mkdtemp(join(tmpdir(), 'kts-cache-'));
});

after(async () => {
  await reg?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function context(name: string, dockerfile: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  for (const [p, content] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), content);
  }
  return dir;
}

describe('local cache directory (--cache-dir)', () => {
  const dockerfile = (host: string) => `FROM ${host}/library/busybox:latest
WORKDIR /app
COPY lib ./lib
RUN cat /app/lib/* > /app/all
COPY src ./src
RUN ls -l /app/src > /app/listing
CMD ["cat", "/app/all"]
`;

  test('a changed context file reruns only its COPY and what follows', async () => {
    const ctx = await context('s3like', dockerfile(reg.host), {
      'lib/a.js': 'a\n',
      'lib/b.js': 'b\n',
      'src/main.js': 'main\n',
      'src/util.js': 'util\n',
    });
    const cacheDir = join(work, 's3like-cache');
    const b: CliBuild = {
      context: ctx,
      destinations: [`${reg.host}/cache/s3like:1`],
      extraArgs: ['--cache=true', '--cache-dir', cacheDir, '--cache-copy-layers', '--reproducible'],
    };
    const cold = await ok(b);
    assert.deepEqual(cached(cold), []);
    assert.equal(ran(cold).length, 5);

    const warm = await ok(b);
    assert.deepEqual(ran(warm), []);
    assert.equal(cached(warm).length, 5);
    assert.equal(digestOf(warm), digestOf(cold));

    await writeFile(join(ctx, 'src', 'util.js'), 'util changed\n');
    const changed = await ok(b);
    assert.deepEqual(
      ran(changed).map((t) => t.replace(/^\[(?:\S+ )?\d+\/\d+\] /, '')),
      ['COPY src ./src', 'RUN ls -l /app/src > /app/listing'],
    );
    assert.deepEqual(
      cached(changed).map((t) => t.replace(/^\[(?:\S+ )?\d+\/\d+\] /, '')),
      ['WORKDIR /app', 'COPY lib ./lib', 'RUN cat /app/lib/* > /app/all'],
    );
    const img = await inspectImage(`${reg.host}/cache/s3like:1`);
    const tree = byPath(img.tree);
    assert.ok(tree.get('/app/all'));
    assert.ok(tree.get('/app/src/util.js'));
  });

  test('without --cache-copy-layers COPY runs, and the RUN after it is still served from the cache', async () => {
    const ctx = await context('copy-uncached', dockerfile(reg.host), {
      'lib/a.js': 'a\n',
      'src/m.js': 'm\n',
    });
    const b: CliBuild = {
      context: ctx,
      destinations: [`${reg.host}/cache/copy-uncached:1`],
      extraArgs: ['--cache=true', '--cache-dir', join(work, 'copy-uncached-cache'), '--reproducible'],
    };
    const cold = await ok(b);
    const warm = await ok(b);
    const strip = (ts: string[]) => ts.map((t) => t.replace(/^\[(?:\S+ )?\d+\/\d+\] /, ''));
    assert.deepEqual(strip(ran(warm)), ['COPY lib ./lib', 'COPY src ./src']);
    assert.deepEqual(strip(cached(warm)), [
      'WORKDIR /app',
      'RUN cat /app/lib/* > /app/all',
      'RUN ls -l /app/src > /app/listing',
    ]);
    assert.equal(digestOf(warm), digestOf(cold));
    const img = await inspectImage(`${reg.host}/cache/copy-uncached:1`);
    const tree = byPath(img.tree);
    assert.equal(tree.get('/app/all')?.type, 'file');
    assert.equal(tree.get('/app/listing')?.type, 'file');
  });

  test('a changed file mode invalidates the COPY', async () => {
    const ctx = await context('mode', dockerfile(reg.host), {
      'lib/a.js': 'a\n',
      'src/main.js': 'main\n',
    });
    const b: CliBuild = {
      context: ctx,
      extraArgs: ['--cache=true', '--cache-dir', join(work, 'mode-cache'), '--cache-copy-layers'],
    };
    await ok(b);
    await chmod(join(ctx, 'lib', 'a.js'), 0o755);
    const r = await ok(b);
    assert.deepEqual(
      ran(r).map((t) => t.replace(/^\[(?:\S+ )?\d+\/\d+\] /, '')),
      [
        'COPY lib ./lib',
        'RUN cat /app/lib/* > /app/all',
        'COPY src ./src',
        'RUN ls -l /app/src > /app/listing',
      ],
    );
  });

  test('the s3-big-copy scenario itself: unchanged, nothing runs; one file changed reruns its COPY and what follows', async () => {
    // ../shared/bench's own Dockerfile and 20,000-file context, built on the debian fixture.
    const scenarios = join(work, 'scenarios');
    await run('sh', [join(SHARED_BENCH, 'make-contexts.sh'), scenarios]);
    const ctx = join(scenarios, 's3-big-copy');
    const b: CliBuild = {
      context: ctx,
      destinations: [`${reg.host}/cache/s3:1`],
      buildArgs: { REGISTRY: reg.host },
      extraArgs: [
        '--cache=true',
        '--cache-dir',
        join(work, 's3-cache'),
        '--cache-copy-layers',
        '--reproducible',
      ],
    };
    const strip = (ts: string[]) => ts.map((t) => t.replace(/^\[(?:\S+ )?\d+\/\d+\] /, ''));
    const cold = await ok(b);
    assert.deepEqual(strip(ran(cold)), [
      'WORKDIR /app',
      'COPY node_modules ./node_modules',
      "RUN find /app -name '*.js' | wc -l > /app/count",
      'COPY Dockerfile /app/',
    ]);
    const warm = await ok(b);
    assert.deepEqual(ran(warm), []);
    assert.equal(digestOf(warm), digestOf(cold));

    await writeFile(join(ctx, 'node_modules', 'pkg007', 'lib', 'f00007.js'), 'changed\n');
    const changed = await ok(b);
    assert.deepEqual(strip(ran(changed)), [
      'COPY node_modules ./node_modules',
      "RUN find /app -name '*.js' | wc -l > /app/count",
      'COPY Dockerfile /app/',
    ]);
    assert.deepEqual(strip(cached(changed)), ['WORKDIR /app']);

    const layersOf = async () => {
      const { stdout } = await run('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${reg.host}/cache/s3:1`,
      ]);
      return (JSON.parse(stdout) as { layers: Array<{ digest: string }> }).layers.map((l) => l.digest);
    };
    const before = await layersOf();
    await writeFile(
      join(ctx, 'Dockerfile'),
      `${await readFile(join(ctx, 'Dockerfile'), 'utf8')}# a comment\n`,
    );
    const lastOnly = await ok(b);
    assert.deepEqual(strip(ran(lastOnly)), ['COPY Dockerfile /app/']);
    // Read back by skopeo: every layer but the last is the one the previous build pushed.
    const now = await layersOf();
    assert.equal(now.length, before.length);
    assert.deepEqual(now.slice(0, -1), before.slice(0, -1));
    assert.notEqual(now.at(-1), before.at(-1));
  });

  test('a corrupt cached blob is a miss: the step is rebuilt and the image is right', async () => {
    const ctx = await context('corrupt', dockerfile(reg.host), { 'lib/a.js': 'a\n', 'src/m.js': 'm\n' });
    const cacheDir = join(work, 'corrupt-cache');
    const b: CliBuild = {
      context: ctx,
      destinations: [`${reg.host}/cache/corrupt:1`],
      extraArgs: ['--cache=true', '--cache-dir', cacheDir, '--cache-copy-layers', '--reproducible'],
    };
    const cold = await ok(b);
    // Flip the bytes of every cached blob: every lookup must notice.
    const blobs = join(cacheDir, 'blobs', 'sha256');
    for (const name of await readdir(blobs)) await writeFile(join(blobs, name), 'not the layer');
    const again = await ok(b);
    assert.match(again.stderr + again.stdout, /is corrupt/);
    assert.equal(ran(again).length, 5);
    assert.equal(digestOf(again), digestOf(cold));
    // ...and the rebuilt entries serve the next build.
    const third = await ok(b);
    assert.deepEqual(ran(third), []);
    assert.equal(digestOf(third), digestOf(cold));
  });

  test('two builds sharing one cache directory at the same time both succeed', async () => {
    const ctx = await context('shared', dockerfile(reg.host), { 'lib/a.js': 'a\n', 'src/m.js': 'm\n' });
    const cacheDir = join(work, 'shared-cache');
    const b = (tag: string): CliBuild => ({
      context: ctx,
      destinations: [`${reg.host}/cache/shared:${tag}`],
      extraArgs: ['--cache=true', '--cache-dir', cacheDir, '--cache-copy-layers', '--reproducible'],
    });
    const [one, two] = await Promise.all([ok(b('one')), ok(b('two'))]);
    assert.equal(digestOf(one), digestOf(two));
    const warm = await ok(b('three'));
    assert.deepEqual(ran(warm), []);
    assert.equal(digestOf(warm), digestOf(one));
    const img = await inspectImage(`${reg.host}/cache/shared:three`);
    assert.equal(byPath(img.tree).get('/app/src/m.js')?.type, 'file');
  });
});

describe('what a RUN key depends on', () => {
  test('build-arg and secret id invalidate; a secret value does not', async () => {
    const ctx = await context(
      'run-inputs',
      `FROM ${reg.host}/library/busybox:latest
ARG FLAVOUR=plain
RUN echo "$FLAVOUR" > /flavour
RUN --mount=type=secret,id=token,required=false ls /run/secrets > /secrets 2>&1 || true
`,
      {},
    );
    const cacheDir = join(work, 'run-inputs-cache');
    const base = (extra: Partial<CliBuild>): CliBuild => ({
      context: ctx,
      extraArgs: ['--cache=true', '--cache-dir', cacheDir],
      ...extra,
    });
    const first = await ok(base({ buildArgs: { FLAVOUR: 'a' }, secrets: { token: 'one' } }));
    assert.equal(ran(first).length, 2);
    const valueChanged = await ok(base({ buildArgs: { FLAVOUR: 'a' }, secrets: { token: 'two' } }));
    assert.deepEqual(ran(valueChanged), []);
    const argChanged = await ok(base({ buildArgs: { FLAVOUR: 'b' }, secrets: { token: 'two' } }));
    assert.equal(ran(argChanged).length, 2);
    const idChanged = await ok(base({ buildArgs: { FLAVOUR: 'b' }, secrets: { other: 'two' } }));
    assert.deepEqual(
      ran(idChanged).map((t) => t.replace(/^\[(?:\S+ )?\d+\/\d+\] /, '').slice(0, 20)),
      ['RUN --mount=type=sec'],
    );
  });
});

describe('registry cache (--cache-repo)', () => {
  let proxy: FaultProxy;
  before(async () => {
    proxy = await startFaultProxy(reg.url);
  });
  after(async () => {
    await proxy?.stop();
  });

  test('a warm rebuild gives the cold digest and fetches no base layer and no cached layer', async () => {
    const ctx = await context(
      'registry-warm',
      `FROM ${proxy.host}/library/busybox:latest
RUN mkdir -p /opt/a && echo 1 > /opt/a/1
RUN echo 2 > /opt/a/2
USER nobody
WORKDIR /home/nobody
CMD ["sh"]
`,
      {},
    );
    const b: CliBuild = {
      context: ctx,
      destinations: [`${proxy.host}/cache/warm:latest`],
      extraArgs: ['--cache=true', '--cache-repo', `${proxy.host}/cache/warm/cache`, '--reproducible'],
    };
    const cold = await ok(b);
    assert.equal(ran(cold).length, 3);
    assert.match(cold.stdout + cold.stderr, /sandbox: chroot/);
    const blobGets = /^\/v2\/.*\/blobs\/sha256:/;
    assert.ok(proxy.count('GET', /^\/v2\/library\/busybox\/blobs\//) > 0, 'the cold build read the base');
    proxy.clear();
    // No RUN runs, so no sandbox is chosen: a bubblewrap that is not there is never asked for.
    const noSandbox = { KANIKO_TS_BWRAP: '/nonexistent/bin/bwrap' };
    const warm = await ok({ ...b, env: noSandbox });
    assert.doesNotMatch(warm.stdout + warm.stderr, /sandbox:/);
    assert.deepEqual(ran(warm), []);
    assert.equal(cached(warm).length, 3);
    assert.equal(digestOf(warm), digestOf(cold));
    // Only manifests and configs are read: the one blob GET allowed is the base's config.
    const gets = proxy.requests.filter((r) => r.method === 'GET' && blobGets.test(r.path));
    assert.equal(gets.length, 1, gets.map((g) => g.path).join('\n'));
    const img = await inspectImage(`${reg.host}/cache/warm:latest`);
    assert.equal(byPath(img.tree).get('/opt/a/2')?.type, 'file');

    // The executor as the action ships and starts it loads nothing that only extraction,
    // snapshots, layer writing or RUN need (a cached build is mostly process start).
    const loaded = join(work, 'warm-builtins.txt');
    const shipped = await ok({
      ...b,
      command: executorCommand({}).slice(0, -1).concat(DIST_EXECUTOR),
      env: {
        ...noSandbox,
        NODE_OPTIONS: `--import=${new URL('../support/loaded-builtins.ts', import.meta.url).pathname}`,
        KTS_LOADED_BUILTINS: loaded,
      },
    });
    assert.deepEqual(ran(shipped), []);
    const builtins = (await readFile(loaded, 'utf8')).split('\n');
    assert.ok(builtins.includes('crypto') && builtins.includes('net'), 'the probe saw the build');
    for (const m of ['child_process', 'zlib', 'worker_threads', 'readline'])
      assert.ok(!builtins.includes(m), `a fully cached build loaded node:${m}`);

    // The first RUN that misses chooses the sandbox, and fails the build when there is none.
    await writeFile(
      join(ctx, 'Dockerfile'),
      `${await readFile(join(ctx, 'Dockerfile'), 'utf8')}RUN echo 3 > /tmp/3\n`,
    );
    const miss = await kanikoBuild({ ...b, env: noSandbox });
    assert.equal(miss.code, 8, miss.stderr);
    assert.match(miss.stderr, /KANIKO_TS_BWRAP=\/nonexistent\/bin\/bwrap: no such file/);
  });

  test('a warm rebuild asks the cache for one manifest per stage (its chain); a change falls back to the steps', async () => {
    const dockerfile = (last: string) => `FROM ${proxy.host}/library/busybox:latest
RUN echo 1 > /one
ENV X=1
RUN echo 2 > /two
WORKDIR /w
RUN ${last}
`;
    const ctx = await context('registry-chain', dockerfile('echo 3 > /three'), {});
    const cacheRepo = 'cache/chain/cache';
    const b: CliBuild = {
      context: ctx,
      destinations: [`${proxy.host}/cache/chain:latest`],
      extraArgs: ['--cache=true', '--cache-repo', `${proxy.host}/${cacheRepo}`, '--reproducible'],
    };
    const cacheGets = () => proxy.count('GET', new RegExp(`^/v2/${cacheRepo}/manifests/`));
    const chainPuts = () => proxy.count('PUT', new RegExp(`^/v2/${cacheRepo}/manifests/`));
    proxy.clear();
    const cold = await ok(b);
    assert.equal(ran(cold).length, 4);
    // Four step entries and one chain entry.
    assert.equal(chainPuts(), 5);

    proxy.clear();
    const warm = await ok(b);
    assert.deepEqual(ran(warm), []);
    assert.equal(cached(warm).length, 4);
    assert.equal(digestOf(warm), digestOf(cold));
    assert.equal(cacheGets(), 1, 'only the chain is asked for');
    assert.equal(chainPuts(), 0, 'a chain that held every step is not stored again');

    // The last step changed: its chain is not there, the steps are asked for one by one, and
    // only the changed step runs; the new chain answers the next build alone.
    await writeFile(join(ctx, 'Dockerfile'), dockerfile('echo 4 > /four'));
    proxy.clear();
    const changed = await ok(b);
    assert.equal(ran(changed).length, 1);
    assert.match(ran(changed)[0]!, /RUN echo 4 > \/four$/);
    assert.equal(cacheGets(), 1 + 4);
    proxy.clear();
    const again = await ok(b);
    assert.deepEqual(ran(again), []);
    assert.equal(cacheGets(), 1);
    const img = await inspectImage(`${reg.host}/cache/chain:latest`);
    const tree = byPath(img.tree);
    assert.equal(tree.get('/four')?.type, 'file');
    assert.equal(tree.get('/three'), undefined);

    // --cache-ttl applies to each step of a chain by when that step was stored.
    const expiredRun = await ok({ ...b, extraArgs: [...b.extraArgs!, '--cache-ttl=1ms'] });
    assert.equal(ran(expiredRun).length, 4);
  });

  test('a base image from the warmer is not asked of the registry', async () => {
    const cacheDir = join(work, 'warmed');
    const warm = await run(
      process.execPath,
      [
        CLI,
        'warmer',
        '--image',
        `${proxy.host}/library/busybox:latest`,
        '--cache-dir',
        cacheDir,
        '--insecure-pull',
      ],
      { allowFailure: true },
    );
    assert.equal(warm.code, 0, warm.stderr);
    const ctx = await context(
      'warmed-base',
      `FROM ${proxy.host}/library/busybox:latest
RUN echo hi > /hi
`,
      {},
    );
    proxy.clear();
    await ok({
      context: ctx,
      destinations: [`${reg.host}/cache/warmed:1`],
      extraArgs: ['--cache-dir', cacheDir],
    });
    assert.equal(proxy.requests.filter((r) => r.path.startsWith('/v2/library/busybox/')).length, 0);
    const img = await inspectImage(`${reg.host}/cache/warmed:1`);
    const tree = byPath(img.tree);
    assert.equal(tree.get('/hi')?.type, 'file');
    assert.equal(tree.get('/bin/sh')?.link, 'busybox');
  });

  test('--cache-to/--cache-from type=registry with mode=max', async () => {
    const ctx = await context(
      'buildkit-style',
      `FROM ${reg.host}/library/busybox:latest AS build
RUN echo built > /out
FROM ${reg.host}/library/busybox:latest
COPY --from=build /out /out
`,
      {},
    );
    const ref = `${reg.host}/cache/bk-style:cache`;
    const cold = await ok({ context: ctx, extraArgs: [`--cache-to=type=registry,ref=${ref},mode=max`] });
    assert.equal(ran(cold).length, 2);
    const warm = await ok({ context: ctx, extraArgs: [`--cache-from=type=registry,ref=${ref}`] });
    assert.deepEqual(ran(warm), []);
    const noCache = await ok({
      context: ctx,
      extraArgs: [`--cache-from=type=registry,ref=${ref}`, '--no-cache'],
    });
    assert.equal(ran(noCache).length, 2);
  });
});
