// The action run the way the runner runs it: `node <main>` with INPUT_* variables and the
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, then `node <post>` with STATE_*;
// the executor is the real CLI (bin/kaniko-ts.js), building images that need no registry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './support/schemas.ts';

const MAIN = join(ROOT, 'action', 'index.ts');
const POST = join(ROOT, 'action', 'post-index.ts');

interface RunnerResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

/** GitHub's file commands: `name<<DELIM\nvalue\nDELIM` blocks. */
function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

function node(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

async function runLikeTheRunner(dir: string, inputs: Record<string, string>): Promise<RunnerResult> {
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), state: join(dir, 'state') };
  for (const f of Object.values(files)) await writeFile(f, '');
  const home = join(dir, 'home');
  const temp = join(dir, 'runner-temp');
  await mkdir(home, { recursive: true });
  await mkdir(temp, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    RUNNER_TEMP: temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = await node(MAIN, env);
  return {
    ...r,
    outputs: parseFileCommands(await readFile(files.output, 'utf8')),
    state: parseFileCommands(await readFile(files.state, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
  };
}

async function contextWith(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kaniko-ts-action-'));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'Dockerfile'), dockerfile);
  return dir;
}

describe('the action, run as the runner runs it, with the real executor', () => {
  test('builds, writes outputs and summary, masks the password, and cleans up in post', async () => {
    const dir = await contextWith('FROM scratch\nARG A\nLABEL org.example.a=$A\nENV PATH=/bin\n');
    const r = await runLikeTheRunner(dir, {
      context: join(dir, 'src'),
      tags: 'registry.example.com/app:1,registry.example.com/app:latest',
      'build-args': 'A=from-input',
      outputs: `type=docker,dest=${join(dir, 'image.tar')}`,
      registry: 'registry.example.com',
      username: 'octocat',
      password: 's3cret-pw',
      push: 'false',
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.outputs.digest ?? '', /^sha256:[a-f0-9]{64}$/);
    assert.equal(r.outputs.tags, 'registry.example.com/app:1\nregistry.example.com/app:latest');
    assert.deepEqual(JSON.parse(r.outputs.metadata ?? '{}'), {
      'containerimage.digest': r.outputs.digest,
      'image.name': 'registry.example.com/app:1,registry.example.com/app:latest',
    });
    assert.equal(r.outputs.imageid, '');
    assert.ok(existsSync(join(dir, 'image.tar')), 'type=docker output written');
    assert.match(r.summary, new RegExp(`\\| digest \\| \`${r.outputs.digest}\` \\|`));
    assert.match(r.summary, /\| pushed \| no \|/);
    // It says how it started the executor (root here: no sudo).
    assert.match(r.stdout, /^kaniko-ts: running as root: the executor picks its sandbox$/m);
    // Masked before use; never printed otherwise.
    assert.match(r.stdout, /^::add-mask::s3cret-pw$/m);
    const printed = (r.stdout + r.stderr).replace(/^::add-mask::s3cret-pw$/m, '');
    assert.doesNotMatch(printed, /s3cret-pw/);
    // The executor's docker config held the login; post removes it.
    const temp = r.state['kaniko-ts-temp-dir'];
    assert.ok(temp, 'state saved for post');
    const cfg = JSON.parse(await readFile(join(temp, 'docker', 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    assert.equal(
      Buffer.from(cfg.auths['registry.example.com']!.auth, 'base64').toString(),
      'octocat:s3cret-pw',
    );
    const post = await node(POST, { PATH: process.env.PATH, 'STATE_kaniko-ts-temp-dir': temp });
    assert.equal(post.code, 0, post.stderr);
    assert.equal(existsSync(temp), false);
  });

  test('a broken Dockerfile: an annotation on its line, and the step fails', async () => {
    const dir = await contextWith('FROM scratch\nFROBNICATE x\n');
    const dockerfile = join(dir, 'src', 'Dockerfile');
    const r = await runLikeTheRunner(dir, { context: join(dir, 'src') });
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      new RegExp(
        `^::error title=kaniko-ts,file=${dockerfile},line=2::unknown instruction "FROBNICATE"$`,
        'm',
      ),
    );
    assert.match(r.stdout, /^::error::the kaniko-ts executor failed \(exit code 3\)$/m);
    assert.deepEqual(Object.keys(r.outputs), []);
  });

  test('an input the executor cannot honour fails before anything runs', async () => {
    const dir = await contextWith('FROM scratch\n');
    const other = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    const r = await runLikeTheRunner(dir, { context: join(dir, 'src'), platforms: other });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error::input platforms: only the runner's platform/m);
    assert.doesNotMatch(r.stderr, /sandbox:/, 'the executor did not start');
  });
});
