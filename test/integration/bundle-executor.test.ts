// The self-contained executor tree (npm run bundle): /kaniko/executor must run with nothing from
// the root it finds itself under — the host's, an empty one, a static busybox base, a root whose
// glibc is broken, and inside podman after base images are extracted over / (in-place mode's
// situation) — and its TLS trust must come from /kaniko/ssl/certs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BundleResult, buildBundle, defaultNodeBinary } from '../../scripts/bundle/bundle.ts';
import { executorImageConfig } from '../../scripts/bundle/layout.ts';
import { EXECUTOR_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { endMarker, type RunnerRequest } from '../../src/sandbox/runner-program.ts';
import { run } from '../support/exec.ts';
import { ensureFixtures, fixtureLayout } from '../support/fixtures.ts';
import { importExecutorImage, podmanRun, removeImage } from '../support/podman.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const repo = new URL('../../', import.meta.url).pathname;
/** Nothing of the host's TLS or loader settings (this machine sets SSL_CERT_FILE and friends). */
const CLEAN_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };

/**
 * bwrap arguments for a root that shows the host's top-level entries read-only on a tmpfs: the
 * host's / itself is never bound, so mounting the tree at /kaniko creates no /kaniko on the host.
 */
function hostView(): string[] {
  const args = ['--tmpfs', '/'];
  for (const e of readdirSync('/', { withFileTypes: true })) {
    if (['kaniko', 'proc', 'dev', 'sys', 'tmp'].includes(e.name)) continue;
    const path = `/${e.name}`;
    if (e.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
    else if (e.isDirectory()) args.push('--ro-bind', path, path);
  }
  return args;
}

/** Runs argv in a bwrap sandbox whose / is `root` (a directory, 'host' for the host's, or null for an empty tmpfs). */
function inRoot(
  root: string | 'host' | null,
  kaniko: string,
  argv: string[],
  env: NodeJS.ProcessEnv = CLEAN_ENV,
) {
  const base = root === null ? ['--tmpfs', '/'] : root === 'host' ? hostView() : ['--bind', root, '/'];
  return run(
    'bwrap',
    [...base, '--ro-bind', kaniko, '/kaniko', '--proc', '/proc', '--dev', '/dev', ...argv],
    {
      env,
      allowFailure: true,
    },
  );
}

/** The layer blobs of a single-manifest OCI layout, in order. */
async function layerBlobs(layout: string): Promise<string[]> {
  const blob = (digest: string) => join(layout, 'blobs', ...digest.split(':'));
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: Array<{ digest: string }>;
  };
  const manifest = JSON.parse(await readFile(blob(index.manifests[0]!.digest), 'utf8')) as {
    layers: Array<{ digest: string }>;
  };
  return manifest.layers.map((l) => blob(l.digest));
}

describe('bundled executor', () => {
  let out: string;
  let bundle: BundleResult;
  let versionLine: string;

  before(async () => {
    await ensureFixtures(['busybox', 'debian']);
    out = await mkdtemp(join(tmpdir(), 'kts-bundle-test-'));
    bundle = await buildBundle({ out, debug: true });
    versionLine = (await run(process.execPath, [join(repo, 'bin', 'kaniko-ts.js'), '--version'])).stdout;
    assert.match(versionLine, /^kaniko-ts \S+/);
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
  });

  test("the tree: executor asking for /kaniko's loader and libraries, certs, .docker, marker, busybox, config", async () => {
    const k = bundle.kanikoDir;
    const headers = (await run('readelf', ['-lW', bundle.executable])).stdout;
    assert.match(headers, /Requesting program interpreter: \/kaniko\/lib\/ld-linux-x86-64\.so\.2\]/);
    const dynamic = (await run('readelf', ['-dW', bundle.executable])).stdout;
    assert.match(dynamic, /\(RPATH\)\s+Library rpath: \[\/kaniko\/lib:\$ORIGIN\/lib\]/);
    const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
    assert.ok(needed.includes('libc.so.6') && needed.includes('libstdc++.so.6'));
    const libs = await readdir(join(k, 'lib'));
    for (const n of needed) assert.ok(libs.includes(n), `${n} is in /kaniko/lib`);
    assert.ok(libs.includes('ld-linux-x86-64.so.2'));

    assert.deepEqual(
      await readFile(join(k, 'ssl', 'certs', 'ca-certificates.crt')),
      await readFile('/etc/ssl/certs/ca-certificates.crt'),
    );
    assert.deepEqual(await readdir(join(k, '.docker')), []);
    assert.match(await readFile(join(k, '.kaniko-ts-executor'), 'utf8'), /^kaniko-ts /);
    assert.equal(await readlink(join(out, 'busybox', 'sh')), 'busybox');
    assert.deepEqual(
      JSON.parse(await readFile(bundle.imageConfig, 'utf8')),
      executorImageConfig({ debug: true, arch: process.arch }),
    );
  });

  test('the same sources give the same bytes (a reproducible image needs a reproducible tree)', async () => {
    const again = await mkdtemp(join(tmpdir(), 'kts-bundle-again-'));
    try {
      await buildBundle({ out: again, debug: true });
      const hashes = async (root: string) => {
        const files = (await readdir(root, { recursive: true })).sort();
        return Promise.all(
          files.map(async (f) => {
            const p = join(root, f);
            const link = await readlink(p).catch(() => null);
            if (link !== null) return `${f} -> ${link}`;
            const data = await readFile(p).catch(() => null);
            return `${f} ${data === null ? 'dir' : createHash('sha256').update(data).digest('hex')}`;
          }),
        );
      };
      assert.deepEqual(await hashes(again), await hashes(out));
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });

  test('(a) on the host: through its own loader, and with the tree mounted at /kaniko', async () => {
    const direct = await run(
      join(bundle.kanikoDir, 'lib', 'ld-linux-x86-64.so.2'),
      [bundle.executable, '--version'],
      {
        env: CLEAN_ENV,
      },
    );
    assert.equal(direct.stdout, versionLine);
    const hadKaniko = existsSync('/kaniko');
    const hostRoot = await inRoot('host', bundle.kanikoDir, ['/kaniko/executor', '--version']);
    assert.equal(hostRoot.stderr, '');
    assert.equal(hostRoot.stdout, versionLine);
    assert.equal(existsSync('/kaniko'), hadKaniko, 'no /kaniko is made on the host');
  });

  test('(b) in a root that holds nothing but /kaniko', async () => {
    const r = await inRoot(null, bundle.kanikoDir, ['/kaniko/executor', '--version']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, versionLine);
    // The executable runs with the executor's Node flags baked in (the debug log names them).
    const debug = await inRoot(null, bundle.kanikoDir, [
      '/kaniko/executor',
      '--verbosity=debug',
      '--no-push',
      '--context=/kaniko',
      '--dockerfile=/kaniko/no-such-Dockerfile',
    ]);
    assert.notEqual(debug.code, 0);
    assert.match(
      debug.stderr,
      new RegExp(`DEBUG: kaniko-ts \\S+, node v\\S+ ${EXECUTOR_NODE_FLAGS.join(' ')} `),
    );
    for (const tool of ['getfattr', 'setfattr']) {
      const t = await inRoot(null, bundle.kanikoDir, [`/kaniko/bin/${tool}`, '--version']);
      assert.equal(t.code, 0, t.stderr);
      assert.match(t.stdout, new RegExp(`^${tool} \\d`));
    }
  });

  test('(e) as the warm RUN runner: in a root without node or libc it runs a request and answers on fd 3', async () => {
    // As the build starts it: its own PID namespace (it kills what a command leaves running), no env
    // but the role's switch, the image as / (here nothing but a static busybox).
    const child = spawn(
      'bwrap',
      [
        '--tmpfs',
        '/',
        '--ro-bind',
        bundle.kanikoDir,
        '/kaniko',
        '--ro-bind',
        join(out, 'busybox'),
        '/bin',
        '--proc',
        '/proc',
        '--dev',
        '/dev',
        '--unshare-pid',
        '--die-with-parent',
        '--clearenv',
        '--setenv',
        'KANIKO_TS_SANDBOX_RUNNER',
        '1',
        '/kaniko/executor',
      ],
      { env: CLEAN_ENV, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] },
    );
    const collect = (stream: NodeJS.ReadableStream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (b: Buffer) => chunks.push(b));
      return () => Buffer.concat(chunks).toString('utf8');
    };
    const stdout = collect(child.stdout!);
    const stderr = collect(child.stderr!);
    const results = child.stdio[3] as NodeJS.ReadableStream;
    const firstResult = new Promise<string>((resolve, reject) => {
      let text = '';
      results.on('data', (b: Buffer) => {
        text += b.toString('utf8');
        if (text.includes('\n')) resolve(text);
      });
      results.on('end', () => reject(new Error(`the runner ended without a result; stderr: ${stderr()}`)));
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const req: RunnerRequest = {
      id: 7,
      argv: ['/bin/sh', '-c', 'echo "hello from $(id -u)"; echo oops >&2; exit 3'],
      env: { PATH: '/bin' },
      cwd: '/',
      uid: 0,
      gid: 0,
    };
    child.stdin!.write(`${JSON.stringify(req)}\n`);
    assert.deepEqual(JSON.parse(await firstResult), { id: 7, exitCode: 3 });
    child.stdin!.end();
    assert.equal(await closed, 0);
    assert.equal(stdout(), `hello from 0\n${endMarker(7)}`);
    assert.equal(stderr(), `oops\n${endMarker(7)}`);
  });

  test('(c) over the static busybox base, and over a root whose glibc, loader cache and preload list are broken', async () => {
    const work = await mkdtemp(join(tmpdir(), 'kts-bundle-roots-'));
    try {
      await run('umoci', ['unpack', '--image', `${fixtureLayout('busybox')}:latest`, join(work, 'busybox')]);
      const bb = await inRoot(join(work, 'busybox', 'rootfs'), bundle.kanikoDir, [
        '/kaniko/executor',
        '--version',
      ]);
      assert.equal(bb.stderr, '');
      assert.equal(bb.stdout, versionLine);

      const broken = join(work, 'broken');
      for (const d of ['lib/x86_64-linux-gnu', 'lib64', 'etc/ssl'])
        await mkdir(join(broken, d), { recursive: true });
      await writeFile(join(broken, 'lib/x86_64-linux-gnu/libc.so.6'), 'not an ELF file\n');
      await writeFile(join(broken, 'lib/x86_64-linux-gnu/libstdc++.so.6'), 'not an ELF file\n');
      await writeFile(join(broken, 'lib64/ld-linux-x86-64.so.2'), 'not an ELF file\n');
      await writeFile(join(broken, 'etc/ld.so.cache'), Buffer.alloc(4096, 0xa5));
      // glibc's loader would report (and, were it a real library, load) this into every process.
      await writeFile(join(broken, 'etc/ld.so.preload'), '/lib/x86_64-linux-gnu/libc.so.6\n');
      // A nodejs_conf section activating a provider that does not exist aborts a stock node at start.
      await writeFile(
        join(broken, 'etc/ssl/openssl.cnf'),
        'nodejs_conf = n\n[n]\nproviders = p\n[p]\nnone = x\n[x]\nactivate = 1\n',
      );
      const hostile = {
        ...CLEAN_ENV,
        LD_LIBRARY_PATH: '/lib/x86_64-linux-gnu',
        OPENSSL_CONF: '/etc/ssl/openssl.cnf',
        NODE_OPTIONS: '--no-such-node-option',
      };
      const r = await inRoot(broken, bundle.kanikoDir, ['/kaniko/executor', '--version'], hostile);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, versionLine);
      // The control: the very node binary the executor is made from does not start there.
      const stock = await run(
        'bwrap',
        [
          '--bind',
          broken,
          '/',
          '--ro-bind',
          defaultNodeBinary(),
          '/node',
          '--proc',
          '/proc',
          '--dev',
          '/dev',
          '/node',
          '--version',
        ],
        { env: CLEAN_ENV, allowFailure: true },
      );
      assert.notEqual(stock.code, 0);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  describe('(d) inside podman, as root with default capabilities', () => {
    const image = `localhost/kts-bundle-test:${process.pid}`;
    before(async () => {
      await importExecutorImage(out, image);
    });
    after(async () => {
      await removeImage(image);
    });

    test('the entrypoint runs', async () => {
      const r = await podmanRun([image, '--version']);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, versionLine);
    });

    for (const [base, proof] of [
      ['busybox', '/bin/busybox'],
      ['debian', '/etc/debian_version'],
    ] as const) {
      test(`after the ${base} base is extracted over / and libc is broken (in-place mode)`, async () => {
        const [layer] = await layerBlobs(fixtureLayout(base));
        // busybox tar cannot create device nodes in the container; every other entry lands.
        const script = [
          `tar -xzf /layer.tgz -C / 2>/dev/null; test -e ${proof} || exit 90`,
          'mkdir -p /lib/x86_64-linux-gnu /lib64 /etc',
          'echo broken > /lib/x86_64-linux-gnu/libc.so.6; echo broken > /lib64/ld-linux-x86-64.so.2',
          'echo /lib/x86_64-linux-gnu/libc.so.6 > /etc/ld.so.preload',
          // The executor's own attr tools (file capabilities, user.* xattrs) still work.
          'echo x > /xattr-probe && /kaniko/bin/setfattr -n user.k -v v /xattr-probe || exit 91',
          '[ "$(/kaniko/bin/getfattr --absolute-names --only-values -n user.k /xattr-probe)" = v ] || exit 92',
          'executor --version',
        ].join('\n');
        const r = await podmanRun([
          '-v',
          `${layer}:/layer.tgz:ro`,
          '--entrypoint',
          '/busybox/sh',
          image,
          '-c',
          script,
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.equal(r.stdout, versionLine);
      });
    }
  });

  describe('TLS trust', () => {
    let reg: TestRegistry;
    let probeOut: string;
    before(async () => {
      reg = await startRegistry({ tls: true });
      probeOut = await mkdtemp(join(tmpdir(), 'kts-bundle-probe-'));
      // The executor has no command that only connects; this probe is built the same way with the
      // same trust prelude, and prints the HTTP status or the TLS error.
      const entry = join(probeOut, 'probe.ts');
      await writeFile(
        entry,
        `import ${JSON.stringify(join(repo, 'scripts', 'bundle', 'executor-prelude.ts'))};
try {
  const res = await fetch(process.argv[2]!);
  process.stdout.write('status ' + res.status + '\\n');
} catch (e) {
  const err = e as Error & { cause?: { code?: string } };
  process.stdout.write('error ' + (err.cause?.code ?? err.message) + '\\n');
}
`,
      );
      await buildBundle({ out: probeOut, entry });
    });
    after(async () => {
      await reg.stop();
      await rm(probeOut, { recursive: true, force: true });
    });

    test('an https request from a root holding only /kaniko trusts what /kaniko/ssl/certs holds', async () => {
      const kaniko = join(probeOut, 'kaniko');
      const url = `${reg.url}/v2/`;
      const untrusted = await inRoot(null, kaniko, ['/kaniko/executor', url]);
      assert.match(
        untrusted.stdout,
        /^error (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO)/,
      );
      // What kaniko users do: drop their CA next to Debian's bundle.
      await copyFile(reg.ca!.caCert, join(kaniko, 'ssl', 'certs', 'my-registry-ca.crt'));
      const trusted = await inRoot(null, kaniko, ['/kaniko/executor', url]);
      assert.equal(trusted.stderr, '');
      assert.equal(trusted.stdout, 'status 200\n');
      // By name: glibc's resolver in /kaniko/lib reads the root's /etc/hosts, as a container runtime mounts it.
      const etc = join(probeOut, 'etc');
      await mkdir(etc, { recursive: true });
      await writeFile(join(etc, 'hosts'), '127.0.0.1 localhost\n');
      const byName = await run(
        'bwrap',
        [
          '--tmpfs',
          '/',
          '--ro-bind',
          kaniko,
          '/kaniko',
          '--ro-bind',
          etc,
          '/etc',
          '--proc',
          '/proc',
          '--dev',
          '/dev',
        ].concat(['/kaniko/executor', `https://localhost:${reg.port}/v2/`]),
        { env: CLEAN_ENV, allowFailure: true },
      );
      assert.equal(byName.stdout, 'status 200\n');
      assert.ok(existsSync(join(kaniko, 'ssl', 'certs', 'ca-certificates.crt')));
    });
  });
});
