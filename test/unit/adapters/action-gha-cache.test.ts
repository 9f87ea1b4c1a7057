// cache-from/cache-to type=gha, run as the runner runs the action (node dist/index.js), against an
// emulation of the Actions cache service v2: its three Twirp JSON methods (CreateCacheEntry,
// FinalizeCacheEntryUpload, GetCacheEntryDownloadURL under ACTIONS_RESULTS_URL, with the
// runner's ACTIONS_RUNTIME_TOKEN as bearer token), handing out SAS URLs of a real Azure blob store
// (Azurite), as the service hands out Azure Blob URLs. @actions/cache, tar and zstd are real.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { load } from 'js-yaml';
import { AZURITE_ACCOUNT, AZURITE_KEY, type Azurite, startAzurite } from '../../support/azurite.ts';
import { ROOT } from './support/schemas.ts';

const ACTION = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { main: string } };
const MAIN = join(ROOT, ACTION.runs.main);
const TOKEN = 'runtime-token-for-the-test';
const CONTAINER = 'actions-cache';
const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';

interface Entry {
  id: number;
  key: string;
  version: string;
  blob: string;
  size?: number;
}

/** The cache service's behaviour as @actions/cache relies on it: immutable entries, prefix restore. */
class CacheService {
  readonly entries: Entry[] = [];
  readonly calls: string[] = [];
  private server: Server | undefined;
  private readonly azurite: Azurite;
  constructor(azurite: Azurite) {
    this.azurite = azurite;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  private sasUrl(blob: string, permissions: string): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName: blob,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
    );
    return `${this.azurite.blobEndpoint}/${CONTAINER}/${blob}?${sas.toString()}`;
  }

  private async handle(method: string, body: Record<string, unknown>): Promise<unknown> {
    const key = String(body.key ?? '');
    const version = String(body.version ?? '');
    if (method === 'CreateCacheEntry') {
      if (this.entries.some((e) => e.key === key && e.version === version))
        return { ok: false, message: `cache entry ${key} already exists` };
      const id = this.entries.length + 1;
      const entry = { id, key, version, blob: `entry-${id}` };
      this.entries.push(entry);
      return { ok: true, signed_upload_url: this.sasUrl(entry.blob, 'cw') };
    }
    if (method === 'FinalizeCacheEntryUpload') {
      const entry = this.entries.find((e) => e.key === key && e.version === version);
      if (!entry) return { ok: false, message: 'no such entry' };
      const blob = BlobServiceClient.fromConnectionString(this.azurite.connectionString())
        .getContainerClient(CONTAINER)
        .getBlobClient(entry.blob);
      const props = await blob.getProperties();
      assert.equal(String(props.contentLength), String(body.size_bytes), 'size_bytes is the blob size');
      entry.size = props.contentLength ?? 0;
      return { ok: true, entry_id: String(entry.id) };
    }
    if (method === 'GetCacheEntryDownloadURL') {
      const done = this.entries.filter((e) => e.size !== undefined && e.version === version).reverse();
      const prefixes = (body.restore_keys as string[] | undefined) ?? [];
      const hit =
        done.find((e) => e.key === key) ??
        prefixes.map((p) => done.find((e) => e.key.startsWith(p))).find(Boolean);
      if (!hit) return { ok: false };
      return { ok: true, signed_download_url: this.sasUrl(hit.blob, 'r'), matched_key: hit.key };
    }
    throw new Error(`unknown method ${method}`);
  }

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '').startsWith(SERVICE) ? (req.url ?? '').slice(SERVICE.length) : '';
        this.calls.push(method);
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${TOKEN}`)
          return reply(401, { code: 'unauthenticated', msg: 'bad token' });
        this.handle(
          method,
          JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
        ).then(
          (body) => reply(200, body),
          (e: unknown) => reply(500, { code: 'internal', msg: (e as Error).message }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!;
  return out;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** One step of a job: the runner's environment, the cache service's variables, node dist/index.js. */
async function runStep(
  dir: string,
  runId: string,
  service: CacheService,
  inputs: Record<string, string>,
): Promise<RunResult> {
  const step = await mkdtemp(join(dir, `step-${runId}-`));
  const output = join(step, 'output');
  for (const f of ['output', 'summary', 'state', 'env', 'path']) await writeFile(join(step, f), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    RUNNER_TEMP: join(dir, 'runner-temp'),
    GITHUB_WORKSPACE: join(dir, 'workspace'),
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: join(step, 'summary'),
    GITHUB_STATE: join(step, 'state'),
    GITHUB_ENV: join(step, 'env'),
    GITHUB_PATH: join(step, 'path'),
    ACTIONS_RESULTS_URL: service.url,
    ACTIONS_RUNTIME_TOKEN: TOKEN,
    ACTIONS_CACHE_SERVICE_V2: 'True',
  };
  for (const d of [env.HOME!, env.RUNNER_TEMP!, env.GITHUB_WORKSPACE!]) await mkdir(d, { recursive: true });
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [MAIN], { env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: number }).code : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
  return {
    ...r,
    outputs: parseFileCommands(await readFile(output, 'utf8')),
    summary: await readFile(join(step, 'summary'), 'utf8'),
  };
}

describe('cache-from/cache-to type=gha through the Actions cache service (v2)', () => {
  let azurite: Azurite;
  let service: CacheService;
  let dir: string;
  before(async () => {
    azurite = await startAzurite();
    await BlobServiceClient.fromConnectionString(azurite.connectionString())
      .getContainerClient(CONTAINER)
      .create();
    service = new CacheService(azurite);
    await service.start();
    dir = await mkdtemp(join(tmpdir(), 'kaniko-ts-gha-'));
    await mkdir(join(dir, 'workspace', 'app'), { recursive: true });
    await writeFile(join(dir, 'workspace', 'app', 'a.txt'), 'first file\n');
    await writeFile(join(dir, 'workspace', 'app', 'b.txt'), 'second file\n');
    await writeFile(
      join(dir, 'workspace', 'app', 'Dockerfile'),
      'FROM scratch\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\n',
    );
  });
  after(async () => {
    await service?.stop();
    await azurite?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const inputs = () => ({
    context: join(dir, 'workspace', 'app'),
    'cache-from': 'type=gha',
    'cache-to': 'type=gha,mode=max',
    outputs: `type=docker,dest=${join(dir, 'image.tar')}`,
  });
  const scope = () =>
    `${join(dir, 'workspace', 'app')}/Dockerfile`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+/, '');

  test('the first run finds no entry, builds, and saves its cache as the run’s own entry', async () => {
    const r = await runStep(dir, '101', service, inputs());
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /kaniko-ts: type=gha cache: no entry yet for /);
    assert.doesNotMatch(r.stderr + r.stdout, /CACHED/);
    const key = `kaniko-ts/${scope()}/101-1`;
    assert.match(
      r.stdout,
      new RegExp(`kaniko-ts: type=gha cache saved as ${key.replace(/[.]/g, '\\.')}$`, 'm'),
    );
    const entry = service.entries.find((e) => e.key === key);
    assert.ok(entry?.size && entry.size > 0, 'the service holds a finalized, non-empty entry');
    assert.deepEqual(service.calls, [
      'GetCacheEntryDownloadURL',
      'CreateCacheEntry',
      'FinalizeCacheEntryUpload',
    ]);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(TOKEN), 'the runtime token is not printed');
  });

  test('a later run on a fresh runner restores that entry, and every step is cached', async () => {
    // A fresh runner: nothing left in RUNNER_TEMP.
    await rm(join(dir, 'runner-temp'), { recursive: true, force: true });
    const before = service.calls.length;
    const r = await runStep(dir, '102', service, inputs());
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(
      r.stdout,
      new RegExp(`type=gha cache restored from kaniko-ts/${scope().replace(/[.]/g, '\\.')}/101-1$`, 'm'),
    );
    assert.equal((r.stderr.match(/^#\d+ CACHED$/gm) ?? []).length, 2, r.stderr);
    assert.match(r.outputs.digest ?? '', /^sha256:[a-f0-9]{64}$/);
    assert.match(r.summary, /^\*\*Steps\*\* \(2 of \d+ cached\):$/m);
    assert.match(r.summary, /^\| \d+ \| `\[2\/2\] COPY b\.txt \/b\.txt` \| cached \| {2}\|$/m);
    assert.deepEqual(service.calls.slice(before), [
      'GetCacheEntryDownloadURL',
      'CreateCacheEntry',
      'FinalizeCacheEntryUpload',
    ]);
    assert.ok(
      service.entries.some((e) => e.key.endsWith('/102-1') && e.size),
      'run 102 saved its own entry',
    );
  });

  test('without the cache service (no ACTIONS_RESULTS_URL) type=gha is an error, not ignored', async () => {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        RUNNER_TEMP: join(dir, 'runner-temp'),
        'INPUT_CACHE-FROM': 'type=gha',
        INPUT_CONTEXT: join(dir, 'workspace', 'app'),
      };
      execFile(process.execPath, [MAIN], { env }, (err, stdout) => resolve({ code: err ? 1 : 0, stdout }));
    });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error::input cache-from\/cache-to: type=gha needs the Actions cache service/m);
  });
});
