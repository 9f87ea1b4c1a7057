import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BuilderOutputError,
  builderOutputLines,
  writeBuilderOutput,
} from '../../../cloudbuild/builder-output.ts';
import {
  DEFAULT_METADATA_HOST,
  dockerConfigFor,
  fetchMetadataToken,
  GOOGLE_REGISTRY_USER,
  isGoogleRegistry,
  METADATA_TOKEN_PATH,
  MetadataAuthError,
  MetadataTokenSource,
  metadataServer,
} from '../../../cloudbuild/metadata-auth.ts';
import { executorImageConfig } from '../../../scripts/bundle/layout.ts';
import { cloudBuildSubstitute, executorCallsInScript, SubstitutionError } from './support/platforms.ts';
import { executorOptions, loadYaml, ROOT, readText, schemaErrors } from './support/schemas.ts';

interface Step {
  id?: string;
  name: string;
  entrypoint?: string;
  args?: string[];
}
interface Config {
  steps: Step[];
  substitutions?: Record<string, string>;
}

const EXECUTOR_IMAGE = /(^ghcr\.io\/kaniko-ts\/executor:|\/executor:[^/]*$)/;

/** Every executor call of a Cloud Build config, after substitution, as argument lists. */
function executorCalls(
  config: Config,
  overrides: Record<string, string> = {},
): { step: string; args: string[] }[] {
  const subs = { ...config.substitutions, ...overrides };
  const used = new Set<string>();
  const calls: { step: string; args: string[] }[] = [];
  for (const [i, step] of config.steps.entries()) {
    const name = cloudBuildSubstitute(step.name, subs, used);
    const args = (step.args ?? []).map((a) => cloudBuildSubstitute(a, subs, used));
    const label = step.id ?? `step ${i}`;
    if (step.entrypoint !== undefined) cloudBuildSubstitute(step.entrypoint, subs, used);
    if (step.entrypoint === undefined && EXECUTOR_IMAGE.test(name)) calls.push({ step: label, args });
    else if (args[0] === '-c' && args[1] !== undefined)
      for (const call of executorCallsInScript(args[1])) calls.push({ step: label, args: call });
  }
  // Cloud Build refuses a declared substitution that the config never uses.
  for (const k of Object.keys(config.substitutions ?? {}))
    assert.ok(used.has(k), `substitution ${k} is never used`);
  return calls;
}

const FILES = [
  'cloudbuild/cloudbuild.yaml',
  'cloudbuild/examples/build.yaml',
  'cloudbuild/examples/cache.yaml',
  'cloudbuild/examples/destinations.yaml',
  'cloudbuild/examples/build-args.yaml',
];

describe('cloudbuild/ YAML', () => {
  test('the list of files covers every YAML in cloudbuild/', async () => {
    const examples = (await readdir(join(ROOT, 'cloudbuild', 'examples'))).filter((f) => /\.ya?ml$/.test(f));
    const top = (await readdir(join(ROOT, 'cloudbuild'))).filter((f) => /\.ya?ml$/.test(f));
    assert.deepEqual(
      [...examples.map((f) => `cloudbuild/examples/${f}`), ...top.map((f) => `cloudbuild/${f}`)].sort(),
      [...FILES].sort(),
    );
  });

  for (const file of FILES) {
    test(`${file}: valid against the Cloud Build schema, and after substitution`, () => {
      const doc = loadYaml(file) as Config;
      assert.deepEqual(schemaErrors('cloudbuild', doc), []);
      // Substitution values here hold no quote or backslash, so the JSON text stays JSON.
      const substituted = JSON.parse(
        cloudBuildSubstitute(JSON.stringify(doc), doc.substitutions ?? {}),
      ) as unknown;
      assert.deepEqual(schemaErrors('cloudbuild', substituted), []);
    });
  }

  test('the schema is really applied: a step timeout in minutes is refused', () => {
    assert.notDeepEqual(schemaErrors('cloudbuild', { steps: [{ name: 'x', timeout: '10m' }] }), []);
  });

  const EXPECT: Record<string, { step: string; check: (o: ReturnType<typeof executorOptions>) => void }[]> = {
    'cloudbuild/examples/build.yaml': [
      {
        step: 'step 0',
        check: (o) => {
          assert.deepEqual(o.destinations, ['us-docker.pkg.dev/my-project/images/app:0123456']);
          assert.equal(o.context, '/workspace/', 'context defaults to the step workspace');
        },
      },
    ],
    'cloudbuild/examples/cache.yaml': [
      {
        step: 'step 0',
        check: (o) => {
          assert.equal(o.cache.enabled, true);
          assert.equal(o.cache.repo, 'us-docker.pkg.dev/my-project/images/app/cache');
          assert.equal(o.cache.ttlMs, 168 * 3600e3);
          assert.equal(o.cache.copyLayers, true);
        },
      },
    ],
    'cloudbuild/examples/destinations.yaml': [
      {
        step: 'step 0',
        check: (o) => {
          assert.deepEqual(o.destinations, [
            'us-docker.pkg.dev/my-project/images/app:0123456',
            'us-docker.pkg.dev/my-project/images/app:main',
            'us-docker.pkg.dev/my-project/images/app:latest',
            'gcr.io/my-project/app:0123456',
          ]);
          assert.equal(o.imageNameTagWithDigestFile, '/workspace/image-refs');
        },
      },
    ],
    'cloudbuild/examples/build-args.yaml': [
      {
        step: 'step 0',
        check: (o) => {
          assert.deepEqual(o.buildArgs, {
            VERSION: '1.4.0',
            COMMIT: '0123456789abcdef0123456789abcdef01234567',
          });
          assert.equal(o.target, 'runtime');
          assert.equal(o.context, 'dir:///workspace/.');
          assert.deepEqual(o.labels, {
            'org.opencontainers.image.version': '1.4.0',
            'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
          });
          assert.deepEqual(o.destinations, ['us-docker.pkg.dev/my-project/images/app:1.4.0']);
        },
      },
    ],
    'cloudbuild/cloudbuild.yaml': [
      {
        step: 'image',
        check: (o) => {
          assert.equal(o.target, 'executor');
          assert.equal(o.dockerfile, '/workspace/cloudbuild/executor.Dockerfile');
          assert.deepEqual(o.destinations, ['us-docker.pkg.dev/my-project/kaniko-ts/executor:0123456']);
        },
      },
      {
        step: 'image',
        check: (o) => {
          assert.equal(o.target, 'debug');
          assert.deepEqual(o.destinations, ['us-docker.pkg.dev/my-project/kaniko-ts/executor:0123456-debug']);
        },
      },
      {
        step: 'self-test',
        check: (o) => {
          assert.equal(o.context, 'dir:///workspace/examples/hello');
          assert.deepEqual(o.buildArgs, { BASE: 'docker.io/library/busybox:1.36' });
          assert.equal(o.digestFile, '/workspace/selftest.digest');
        },
      },
      {
        step: 'self-test-debug',
        check: (o) => {
          assert.deepEqual(o.destinations, ['us-docker.pkg.dev/my-project/kaniko-ts/selftest:0123456-debug']);
        },
      },
    ],
  };

  for (const file of FILES) {
    test(`${file}: every executor call parses with the CLI's flags`, () => {
      const calls = executorCalls(
        loadYaml(file) as Config,
        file.endsWith('build-args.yaml') ? { _VERSION: '1.4.0' } : {},
      );
      const expected = EXPECT[file]!;
      assert.deepEqual(
        calls.map((c) => c.step),
        expected.map((e) => e.step),
      );
      for (const [i, c] of calls.entries()) expected[i]!.check(executorOptions(c.args));
    });
  }

  test('a $VAR that Cloud Build does not know is caught (it needs $$ in a script)', () => {
    assert.throws(() => cloudBuildSubstitute('grep x "$BUILDER_OUTPUT/images"', {}), SubstitutionError);
    assert.equal(cloudBuildSubstitute('"$$BUILDER_OUTPUT/images"', {}), '"$BUILDER_OUTPUT/images"');
    assert.throws(() => cloudBuildSubstitute('$' + '{_NOPE}', {}), /_NOPE is not declared/);
  });

  test('a misspelt flag in a config fails the CLI parser', () => {
    const bad: Config = {
      steps: [{ name: 'ghcr.io/kaniko-ts/executor:latest', args: ['--destinaton=r/a:1'] }],
    };
    const [call] = executorCalls(bad);
    assert.throws(() => executorOptions(call!.args), /unknown flag: --destinaton/);
  });

  test('executor.Dockerfile gives the image config scripts/bundle/layout.ts defines', () => {
    const text = readText('cloudbuild/executor.Dockerfile');
    const stages = text.split(/^FROM /m).slice(1);
    const configOf = (stage: string, inherited: string[]) => {
      const env = new Map(inherited.map((e) => [e.slice(0, e.indexOf('=')), e] as const));
      for (const m of stage.matchAll(/^ENV ([A-Z_]+)=(.*)$/gm)) env.set(m[1]!, `${m[1]}=${m[2]}`);
      return [...env.values()];
    };
    const executorEnv = configOf(stages[0]!, []);
    const debugEnv = configOf(stages[1]!, executorEnv);
    const want = (debug: boolean) => executorImageConfig({ debug, arch: 'x64' }).config;
    assert.deepEqual(executorEnv.sort(), [...want(false).Env].sort());
    assert.deepEqual(debugEnv.sort(), [...want(true).Env].sort());
    assert.match(stages[0]!, new RegExp(`^WORKDIR ${want(false).WorkingDir}$`, 'm'));
    assert.match(
      stages[0]!,
      new RegExp(`^ENTRYPOINT ${JSON.stringify(want(false).Entrypoint).replace(/[[\]]/g, '\\$&')}$`, 'm'),
    );
    assert.match(stages[0]!, /^scratch AS executor/);
    assert.match(stages[1]!, /^executor AS debug/);
  });
});

describe('$BUILDER_OUTPUT/images', () => {
  const digest = `sha256:${'c0ffee00'.repeat(8)}`;
  const images = [
    { name: 'us-docker.pkg.dev/p/images/app:1', digest },
    { name: 'gcr.io/p/app:latest', digest },
  ];

  test('one JSON line per image, appended', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'kaniko-ts-builder-output-')), 'out');
    const file = await writeBuilderOutput(images, { BUILDER_OUTPUT: dir });
    assert.equal(file, join(dir, 'images'));
    await writeBuilderOutput([{ name: 'gcr.io/p/other:2', digest }], { BUILDER_OUTPUT: dir });
    const lines = (await readFile(file!, 'utf8')).split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      [...images, { name: 'gcr.io/p/other:2', digest }],
    );
    assert.equal(lines[0], `{"name":"us-docker.pkg.dev/p/images/app:1","digest":"${digest}"}`);
  });

  test('nothing outside Cloud Build', async () => {
    assert.equal(await writeBuilderOutput(images, {}), undefined);
    assert.equal(await writeBuilderOutput(images, { BUILDER_OUTPUT: '' }), undefined);
  });

  test('refuses what is not an image and a digest', () => {
    assert.throws(() => builderOutputLines([{ name: 'a', digest: 'latest' }]), BuilderOutputError);
    assert.throws(() => builderOutputLines([{ name: '', digest }]), BuilderOutputError);
    assert.equal(builderOutputLines([]), '');
  });

  test('an unwritable directory is a one-line error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kaniko-ts-builder-output-'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'file'), '');
    await assert.rejects(writeBuilderOutput(images, { BUILDER_OUTPUT: join(dir, 'file') }), (e: Error) => {
      assert.ok(e instanceof BuilderOutputError);
      assert.match(e.message, /cannot write .*file\/images/);
      return true;
    });
  });
});

/** A metadata server on loopback: answers the token path only with Metadata-Flavor: Google. */
class FakeMetadataServer {
  server: Server;
  requests: IncomingMessage[] = [];
  respond: (req: IncomingMessage, res: ServerResponse) => void;
  tokenCount = 0;

  constructor() {
    this.respond = (req, res) => {
      if (req.url !== METADATA_TOKEN_PATH) {
        res.writeHead(404, { 'Metadata-Flavor': 'Google' }).end('not found');
        return;
      }
      if (req.headers['metadata-flavor'] !== 'Google') {
        res.writeHead(403, { 'Metadata-Flavor': 'Google' }).end('Missing Metadata-Flavor:Google header.');
        return;
      }
      this.tokenCount++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Metadata-Flavor': 'Google' }).end(
        JSON.stringify({
          access_token: `ya29.token-${this.tokenCount}`,
          expires_in: 3599,
          token_type: 'Bearer',
        }),
      );
    };
    this.server = createServer((req, res) => {
      this.requests.push(req);
      this.respond(req, res);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('registry auth from the GCE metadata server (emulated on loopback)', () => {
  const fake = new FakeMetadataServer();
  let host = '';
  before(async () => {
    host = await fake.start();
  });
  after(() => fake.stop());

  const hosts: [string, boolean][] = [
    ['gcr.io', true],
    ['us.gcr.io', true],
    ['eu.gcr.io', true],
    ['europe-west1-docker.pkg.dev', true],
    ['us-docker.pkg.dev', true],
    ['GCR.IO', true],
    ['gcr.io:443', true],
    ['docker.pkg.dev', false],
    ['us-python.pkg.dev', false],
    ['evilgcr.io', false],
    ['gcr.io.example.com', false],
    ['registry.example.com', false],
    ['docker.io', false],
  ];
  for (const [h, google] of hosts)
    test(`${h} ${google ? 'is' : 'is not'} a Google registry`, () =>
      assert.equal(isGoogleRegistry(h), google));

  test('server: GCE_METADATA_HOST, else metadata.google.internal', () => {
    assert.equal(metadataServer({}), DEFAULT_METADATA_HOST);
    assert.equal(metadataServer({ GCE_METADATA_HOST: '' }), 'metadata.google.internal');
    assert.equal(metadataServer({ GCE_METADATA_HOST: '169.254.169.254' }), '169.254.169.254');
  });

  test('fetches the token with Metadata-Flavor: Google and computes its expiry', async () => {
    const before = fake.requests.length;
    const t = await fetchMetadataToken({ env: { GCE_METADATA_HOST: host }, now: () => 1_000_000 });
    assert.match(t.token, /^ya29\.token-\d+$/);
    assert.equal(t.expiresAt, 1_000_000 + 3599 * 1000);
    const req = fake.requests[before]!;
    assert.equal(req.method, 'GET');
    assert.equal(req.url, METADATA_TOKEN_PATH);
    assert.equal(req.headers['metadata-flavor'], 'Google');
  });

  test('one token for all Google hosts until it nears expiry; none for other registries', async () => {
    let now = 5_000_000;
    const source = new MetadataTokenSource({ env: { GCE_METADATA_HOST: host }, now: () => now });
    const first = fake.tokenCount;
    const [a, b] = await Promise.all([
      source.credentialFor('gcr.io'),
      source.credentialFor('us-docker.pkg.dev'),
    ]);
    assert.equal(fake.tokenCount, first + 1, 'concurrent callers share one request');
    assert.deepEqual(a, { username: GOOGLE_REGISTRY_USER, password: `ya29.token-${first + 1}` });
    assert.deepEqual(b, a);
    assert.equal(await source.credentialFor('registry.example.com'), undefined);
    now += 3599 * 1000 - 30_000; // within a minute of expiry
    const c = await source.credentialFor('eu.gcr.io');
    assert.equal(fake.tokenCount, first + 2);
    assert.equal(c?.password, `ya29.token-${first + 2}`);
  });

  test('the timeout is per request: a token refreshed after it has run out once is still fetched', async () => {
    let now = 9_000_000;
    const source = new MetadataTokenSource({
      env: { GCE_METADATA_HOST: host },
      now: () => now,
      timeoutMs: 100,
    });
    const first = fake.tokenCount;
    await source.token();
    // Longer than one timeout: a signal made once for the whole source would be aborted by now.
    await new Promise((r) => setTimeout(r, 200));
    now += 3599 * 1000;
    assert.match((await source.token()).token, /^ya29\.token-\d+$/);
    assert.equal(fake.tokenCount, first + 2);
  });

  test('a request that hangs past the timeout is an error, not a hang', async () => {
    const saved = fake.respond;
    const held: ServerResponse[] = [];
    fake.respond = (_q, res) => {
      held.push(res);
    };
    try {
      await assert.rejects(
        fetchMetadataToken({ env: { GCE_METADATA_HOST: host }, timeoutMs: 50 }),
        /unreachable \(request aborted\)/,
      );
    } finally {
      fake.respond = saved;
      for (const r of held) r.destroy();
    }
  });

  test('docker config for the Google hosts only', () => {
    const cfg = JSON.parse(
      dockerConfigFor(['gcr.io', 'registry.example.com', 'us-docker.pkg.dev'], {
        username: GOOGLE_REGISTRY_USER,
        password: 'ya29.secret',
      }),
    ) as { auths: Record<string, { auth: string }> };
    assert.deepEqual(Object.keys(cfg.auths), ['gcr.io', 'us-docker.pkg.dev']);
    assert.equal(
      Buffer.from(cfg.auths['gcr.io']!.auth, 'base64').toString(),
      'oauth2accesstoken:ya29.secret',
    );
  });

  const failures: {
    name: string;
    respond: (req: IncomingMessage, res: ServerResponse) => void;
    error: RegExp;
  }[] = [
    {
      name: 'HTTP error',
      respond: (_q, res) => res.writeHead(500, { 'Metadata-Flavor': 'Google' }).end('boom'),
      error: /HTTP 500/,
    },
    {
      name: 'not the metadata server (no Metadata-Flavor in the answer)',
      respond: (_q, res) => res.writeHead(200).end('{"access_token":"ya29.leak","expires_in":10}'),
      error: /without Metadata-Flavor/,
    },
    {
      name: 'not JSON',
      respond: (_q, res) => res.writeHead(200, { 'Metadata-Flavor': 'Google' }).end('<html>'),
      error: /not JSON/,
    },
    {
      name: 'no access_token',
      respond: (_q, res) => res.writeHead(200, { 'Metadata-Flavor': 'Google' }).end('{"expires_in":10}'),
      error: /no access_token/,
    },
  ];
  for (const f of failures) {
    test(`a typed error naming the server, never the token: ${f.name}`, async () => {
      const saved = fake.respond;
      fake.respond = f.respond;
      try {
        await assert.rejects(fetchMetadataToken({ env: { GCE_METADATA_HOST: host } }), (e: Error) => {
          assert.ok(e instanceof MetadataAuthError);
          assert.equal(e.server, host);
          assert.match(e.message, f.error);
          assert.match(e.message, new RegExp(`^metadata server ${host}: `));
          assert.doesNotMatch(e.message, /ya29/);
          return true;
        });
      } finally {
        fake.respond = saved;
      }
    });
  }

  test('no server listening: unreachable, so the caller falls back to config.json', async () => {
    const closed = new FakeMetadataServer();
    const h = await closed.start();
    await closed.stop();
    await assert.rejects(
      fetchMetadataToken({ env: { GCE_METADATA_HOST: h } }),
      /unreachable \(ECONNREFUSED\)/,
    );
  });

  test('an aborted request (the caller’s timeout) is an error, not a hang', async () => {
    const saved = fake.respond;
    const held: ServerResponse[] = [];
    let arrived: () => void = () => {};
    const requestArrived = new Promise<void>((r) => {
      arrived = r;
    });
    fake.respond = (_q, res) => {
      held.push(res);
      arrived();
    };
    try {
      const controller = new AbortController();
      const p = fetchMetadataToken({ env: { GCE_METADATA_HOST: host }, signal: controller.signal });
      await requestArrived;
      controller.abort();
      await assert.rejects(p, /unreachable \(request aborted\)/);
    } finally {
      fake.respond = saved;
      for (const r of held) r.destroy();
    }
  });
});
