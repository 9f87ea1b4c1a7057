// The parts of the executor bundle: ldd parsing, loader isolation, CA discovery, image config, and
// the code-split JavaScript (what import() of a CommonJS module gives, lazy chunks).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { fixCommonJsDynamicImports } from '../../scripts/bundle/cjs-dynamic-import.ts';
import { bundleJavaScript } from '../../scripts/bundle/js.ts';
import { executorImageConfig } from '../../scripts/bundle/layout.ts';
import { isolateLoader, parseLdd } from '../../scripts/bundle/libs.ts';
import { BundleError } from '../../scripts/bundle/run.ts';
import { certificatesToAdd, readTrustedCertificates, trustSources } from '../../scripts/bundle/trust.ts';
import { run } from '../support/exec.ts';

describe('parseLdd', () => {
  test('finds the loader and every library, skipping the vDSO', () => {
    const libs = parseLdd(
      [
        '\tlinux-vdso.so.1 (0x00007ffd5e5f2000)',
        '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f2a1b5f0000)',
        '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f2a1b200000)',
        '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2a1b000000)',
        '\t/lib64/ld-linux-x86-64.so.2 (0x00007f2a1b610000)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(libs.loader, { name: 'ld-linux-x86-64.so.2', path: '/lib64/ld-linux-x86-64.so.2' });
    assert.deepEqual(
      libs.libraries.map((l) => l.name),
      ['libdl.so.2', 'libstdc++.so.6', 'libc.so.6'],
    );
    assert.equal(libs.libraries[2]?.path, '/lib/x86_64-linux-gnu/libc.so.6');
  });

  test('an aarch64 loader listed with an arrow is the loader, not a library', () => {
    const libs = parseLdd(
      '\tlinux-vdso.so.1 (0x0000ffff)\n\tlibc.so.6 => /lib/aarch64-linux-gnu/libc.so.6 (0x0000ffff1)\n\t/lib/ld-linux-aarch64.so.1 => /lib/aarch64-linux-gnu/ld-linux-aarch64.so.1 (0x0000ffff2)\n',
    );
    assert.equal(libs.loader.name, 'ld-linux-aarch64.so.1');
    assert.deepEqual(
      libs.libraries.map((l) => l.name),
      ['libc.so.6'],
    );
  });

  test('a missing library or a static binary is refused', () => {
    assert.throws(
      () => parseLdd('\tlibfoo.so.1 => not found\n\t/lib64/ld-linux-x86-64.so.2 (0x1)\n'),
      (e: unknown) => e instanceof BundleError && /libfoo\.so\.1 not found/.test(e.message),
    );
    assert.throws(() => parseLdd('\tnot a dynamic executable\n'), BundleError);
  });
});

describe('isolateLoader', () => {
  const loader = Buffer.from(
    '\x7fELF..\0/etc/ld.so.preload\0..\0/etc/ld.so.cache\0 help: /etc/ld.so.cache\n',
    'latin1',
  );

  test('points the preload list and the cache at the kaniko dir, same length, help text untouched', () => {
    const out = isolateLoader(loader, '/kaniko');
    assert.equal(out.length, loader.length);
    const text = out.toString('latin1');
    assert.ok(text.includes('\0/kaniko/ld.preload\0'));
    assert.ok(text.includes('\0/kaniko/ld.cache\0'));
    assert.ok(!text.includes('\0/etc/ld.so'));
    assert.ok(text.includes(' help: /etc/ld.so.cache\n'));
  });

  test('a shorter dir is NUL-padded; a longer one or a loader without the paths is refused', () => {
    assert.ok(
      isolateLoader(loader, '/k')
        .toString('latin1')
        .includes(`\0/k/ld.cache${'\0'.repeat(6)} help:`),
    );
    assert.throws(() => isolateLoader(loader, '/kaniko-longer'), BundleError);
    assert.throws(() => isolateLoader(Buffer.from('\0/etc/ld.so.preload\0'), '/kaniko'), BundleError);
  });
});

describe('trust sources', () => {
  let dir: string;
  const cert = (n: number) => `-----BEGIN CERTIFICATE-----\nQ0VSVC${n}\n-----END CERTIFICATE-----`;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-trust-'));
    await mkdir(join(dir, 'certs', 'sub'), { recursive: true });
    await writeFile(join(dir, 'certs', 'ca-certificates.crt'), `${cert(1)}\n${cert(2)}\n`);
    await writeFile(join(dir, 'certs', 'extra.pem'), `# mine\n${cert(3)}\n${cert(1)}\n`);
    await writeFile(join(dir, 'certs', 'README'), 'not a certificate\n');
    await writeFile(join(dir, 'file.crt'), `${cert(4)}\n`);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('defaults to <kaniko>/ssl/certs; SSL_CERT_FILE and SSL_CERT_DIR (colon list) replace it', () => {
    assert.deepEqual(trustSources({}, '/kaniko'), { files: [], dirs: ['/kaniko/ssl/certs'] });
    assert.deepEqual(trustSources({ SSL_CERT_FILE: '/a.crt', SSL_CERT_DIR: '/x:/y:' }, '/kaniko'), {
      files: ['/a.crt'],
      dirs: ['/x', '/y'],
    });
  });

  test('every PEM certificate of the file and the directories, once; other files and missing paths ignored', () => {
    const certs = readTrustedCertificates({
      files: [join(dir, 'file.crt'), join(dir, 'missing.crt')],
      dirs: [join(dir, 'certs'), join(dir, 'nope')],
    });
    assert.deepEqual(certs, [cert(4), cert(1), cert(2), cert(3)]);
  });

  test('only certificates the store lacks are added: a known one with other line breaks is not', () => {
    const store = tls.rootCertificates.slice(0, 3);
    // Debian's bundle holds Mozilla's roots again, wrapped at 64 columns and labelled alike.
    const rewrapped = store[1]!.replace(/-----[A-Z ]+-----|\s+/g, '').replace(/.{1,64}/g, (l) => `${l}\n`);
    const again = `-----BEGIN CERTIFICATE-----\n${rewrapped}-----END CERTIFICATE-----`;
    assert.notEqual(again, store[1]);
    const fresh = tls.rootCertificates[10]!;
    assert.deepEqual(certificatesToAdd(store, [again, fresh, fresh, store[0]!]), [fresh]);
    assert.deepEqual(certificatesToAdd(store, [again]), []);
  });
});

describe('executor image config', () => {
  test("kaniko's entrypoint, env and working dir; /busybox on PATH only in the debug variant", () => {
    const plain = executorImageConfig({ debug: false, arch: 'x64' });
    assert.equal(plain.architecture, 'amd64');
    assert.deepEqual(plain.config.Entrypoint, ['/kaniko/executor']);
    assert.equal(plain.config.WorkingDir, '/workspace');
    assert.ok(plain.config.Env.includes('PATH=/usr/local/bin:/kaniko'));
    assert.ok(plain.config.Env.includes('DOCKER_CONFIG=/kaniko/.docker/'));
    assert.ok(plain.config.Env.includes('SSL_CERT_DIR=/kaniko/ssl/certs'));
    assert.ok(plain.config.Env.includes('HOME=/root'));
    const debug = executorImageConfig({ debug: true, arch: 'arm64' });
    assert.equal(debug.architecture, 'arm64');
    assert.ok(debug.config.Env.includes('PATH=/usr/local/bin:/kaniko:/busybox'));
  });
});

describe('code-split JavaScript', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-split-'));
    await mkdir(join(dir, 'src'));
    await writeFile(
      join(dir, 'src', 'plain.cjs'),
      'exports.foo = 1;\nexports.bar = function () { return 2; };\n',
    );
    await writeFile(
      join(dir, 'src', 'marked.cjs'),
      'Object.defineProperty(exports, "__esModule", { value: true });\nexports.default = "dflt";\nexports.x = 3;\n',
    );
    await writeFile(join(dir, 'src', 'fn.cjs'), 'module.exports = function limit() { return 4; };\n');
    await writeFile(join(dir, 'src', 'later.ts'), "export const later = 'loaded later';\n");
    await writeFile(
      join(dir, 'src', 'entry.ts'),
      `const { foo, bar, default: plain } = await import('./plain.cjs');
const marked = await import('./marked.cjs');
const fn = await import('./fn.cjs');
const seen = [foo, bar(), plain.foo, marked.default, marked.x, fn.default()];
if (process.argv[2] === 'later') seen.push((await import('./later.ts')).later);
process.stdout.write(JSON.stringify(seen));
`,
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('import() of a CommonJS module gives its named exports, as unsplit; code only imported later is a chunk of its own', async () => {
    const out = join(dir, 'out');
    const modules = await bundleJavaScript(join(dir, 'src', 'entry.ts'), out, '0.0.0');
    assert.equal(modules.entry, 'entry.js');
    assert.ok(modules.files.includes('entry.js'));
    assert.ok(modules.files.length >= 5, `one chunk per import(): ${modules.files.join(' ')}`);
    await writeFile(join(out, 'package.json'), '{"type":"module"}\n');
    const r = await run(process.execPath, [join(out, 'entry.js')]);
    assert.deepEqual(JSON.parse(r.stdout), [1, 2, 1, 'dflt', 3, 4]);
    const later = await run(process.execPath, [join(out, 'entry.js'), 'later']);
    assert.deepEqual(JSON.parse(later.stdout), [1, 2, 1, 'dflt', 3, 4, 'loaded later']);
    const laterChunk = modules.files.find((f) => f.startsWith('later-'));
    assert.ok(laterChunk, 'later.ts is a chunk of its own');
    assert.ok(!(await readFile(join(out, 'entry.js'), 'utf8')).includes('loaded later'));
  });

  test('a CommonJS face referred to other than by import() fails the build', () => {
    const chunks = new Map([
      ['face-A.js', 'var require_a = 1;\nexport default require_a();\n'],
      ['user-B.js', 'const m = await import("./face-A.js");\n'],
      ['odd-C.js', 'import x from "./face-A.js";\n'],
    ]);
    assert.throws(() => fixCommonJsDynamicImports(chunks), BundleError);
    chunks.delete('odd-C.js');
    const fixed = fixCommonJsDynamicImports(chunks);
    assert.match(fixed.get('user-B.js')!, /import\("\.\/face-A\.js"\)\.then\(__ktsCommonJsNamespace\)/);
    assert.equal(fixed.get('face-A.js'), chunks.get('face-A.js'));
  });
});

describe('node:http2 for undici, loaded when used', () => {
  test("the stand-in's constants are Node's, and connect is node:http2's", async () => {
    const { createRequire } = await import('node:module');
    const req = createRequire(import.meta.url);
    const lazy = req('../../scripts/bundle/http2-lazy.cjs') as {
      constants: Record<string, string | number>;
      connect: unknown;
    };
    const real = req('node:http2') as { constants: Record<string, string | number> };
    for (const [name, value] of Object.entries(lazy.constants))
      assert.equal(value, real.constants[name], name);
    assert.equal(typeof lazy.connect, 'function');
  });

  test('bundled undici makes requests without loading node:http2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kts-h2-'));
    try {
      const undici = join(import.meta.dirname, '..', '..', 'node_modules', 'undici', 'index.js');
      await writeFile(
        join(dir, 'entry.ts'),
        `import { createServer } from 'node:http';
import { Agent, request } from ${JSON.stringify(undici)};
const server = createServer((_q, r) => r.end('ok'));
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as { port: number }).port;
const res = await request(\`http://127.0.0.1:\${port}/\`, { dispatcher: new Agent() });
const body = await res.body.text();
server.close();
const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
process.stdout.write(JSON.stringify({ body, http2: loaded.some((m) => m.includes('http2')) }));
`,
      );
      const out = join(dir, 'out');
      await bundleJavaScript(join(dir, 'entry.ts'), out, '0.0.0');
      await writeFile(join(out, 'package.json'), '{"type":"module"}\n');
      const r = await run(process.execPath, [join(out, 'entry.js')]);
      assert.deepEqual(JSON.parse(r.stdout), { body: 'ok', http2: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
