import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePlatform } from '../../../src/build/platform.ts';
import { parseSecretFlag } from '../../../src/build/secrets.ts';
import { FLAGS, helpText, parseDuration, parseFlags, UsageError } from '../../../src/cli/flags.ts';
import { toBuildOptions } from '../../../src/cli/options.ts';

const opts = (...argv: string[]) => toBuildOptions(parseFlags(argv), {});

describe('kaniko flag syntax (pflag)', () => {
  test('long flags with = or a separate value, shorthands, repeatable destinations', () => {
    const o = opts(
      '-c',
      '/src',
      '--dockerfile=/src/Dockerfile.prod',
      '-d',
      'r/a:1',
      '--destination',
      'r/a:2',
      '-dr/a:3',
    );
    assert.equal(o.context, '/src');
    assert.equal(o.dockerfile, '/src/Dockerfile.prod');
    assert.deepEqual(o.destinations, ['r/a:1', 'r/a:2', 'r/a:3']);
  });

  test('booleans: bare, =true, =false; defaults like kaniko', () => {
    const base = opts('--no-push');
    assert.equal(base.noPush, true);
    assert.equal(base.ignoreVarRun, undefined);
    assert.equal(base.cache.runLayers, true);
    assert.equal(base.kanikoDir, '/kaniko');
    assert.equal(base.context, '/workspace/');
    assert.equal(opts('--no-push', '--ignore-var-run=false').ignoreVarRun, false);
    assert.throws(() => opts('--no-push', '--cache=maybe'), /invalid boolean "maybe" for --cache/);
  });

  test('build args with values, and without (taken from the environment, as kaniko does)', () => {
    const o = toBuildOptions(parseFlags(['--no-push', '--build-arg', 'A=1=2', '--build-arg', 'FROM_ENV']), {
      FROM_ENV: 'env-value',
    });
    assert.deepEqual(o.buildArgs, { A: '1=2', FROM_ENV: 'env-value' });
  });

  test('key=value flags collect into maps', () => {
    const o = opts(
      '--no-push',
      '--registry-map',
      'index.docker.io=mirror.local',
      '--registry-certificate',
      'r.local=/ca.crt',
    );
    assert.deepEqual(o.registry.registryMap, { 'index.docker.io': 'mirror.local' });
    assert.deepEqual(o.registry.registryCertificates, { 'r.local': '/ca.crt' });
    assert.throws(() => opts('--no-push', '--registry-map', 'nokey'), /expects KEY=VALUE/);
  });

  test('unknown flags are an error, kaniko never had them', () => {
    assert.throws(
      () => parseFlags(['--no-such-flag']),
      (e: unknown) => e instanceof UsageError && /--no-such-flag/.test(e.message),
    );
    assert.throws(() => parseFlags(['-Z']), UsageError);
  });

  test('a flag at the end without its value is an error', () => {
    assert.throws(() => parseFlags(['--target']), /flag needs an argument: --target/);
  });

  test('deprecated spellings map onto the new flags with a note', () => {
    const p = parseFlags(['--no-push', '--tarPath', '/out.tar', '--snapshotMode=redo']);
    const o = toBuildOptions(p, {});
    assert.equal(o.tarPath, '/out.tar');
    assert.equal(o.snapshotMode, 'redo');
    assert.equal(p.notes.length, 2);
  });

  test('flags without meaning here are accepted with a one-line note', () => {
    const p = parseFlags(['--no-push', '--use-new-run', '--force']);
    assert.equal(p.notes.length, 2);
    assert.match(p.notes[0]!, /--use-new-run has no effect/);
  });

  test('kaniko validation: a destination or --no-push; cache with --no-push needs --cache-repo', () => {
    assert.throws(() => opts('--context', '.'), /you must provide --destination, or use --no-push/);
    assert.throws(() => opts('--no-push', '--cache'), /specify cache repo with --cache-repo/);
    assert.throws(
      () => opts('--no-push', '--image-name-with-digest-file', 'f'),
      /must provide --destination/,
    );
  });

  test('values are validated with one-line errors', () => {
    assert.throws(() => opts('--no-push', '--compression', 'lz4'), /invalid --compression "lz4"/);
    assert.throws(() => opts('--no-push', '--verbosity', 'loud'), /invalid --verbosity/);
    assert.throws(() => opts('--no-push', '--push-retry', 'x'), /invalid number/);
    assert.throws(() => opts('--no-push', '--custom-platform', 'linux//'), /--custom-platform/);
  });

  test('cache-ttl takes Go durations', () => {
    assert.equal(parseDuration('cache-ttl', '336h0m0s'), 336 * 3600e3);
    assert.equal(parseDuration('cache-ttl', '1h30m'), 5400e3);
    assert.equal(parseDuration('cache-ttl', '1.5h'), 5400e3);
    assert.throws(() => parseDuration('cache-ttl', '2 days'), /invalid duration/);
    assert.equal(opts('--no-push').cache.ttlMs, 336 * 3600e3);
  });

  test('--metadata-file: a kaniko-ts flag, like docker buildx build --metadata-file', () => {
    assert.equal(opts('--no-push', '--metadata-file=/out/metadata.json').metadataFile, '/out/metadata.json');
    assert.equal(opts('--no-push').metadataFile, undefined);
    assert.equal(FLAGS.find((f) => f.name === 'metadata-file')?.kanikoTs, true);
    assert.throws(
      () => parseFlags(['--no-push', '--metadata-file']),
      /flag needs an argument: --metadata-file/,
    );
  });

  test('--help lists every flag', () => {
    const help = helpText();
    for (const f of FLAGS) assert.ok(help.includes(`--${f.name}`), `--${f.name} missing from help`);
  });
});

describe('--secret', () => {
  test('file and env sources', () => {
    assert.deepEqual(parseSecretFlag('id=npm,src=/run/npmrc'), { id: 'npm', file: '/run/npmrc' });
    assert.deepEqual(parseSecretFlag('id=tok,env=GITHUB_TOKEN'), { id: 'tok', env: 'GITHUB_TOKEN' });
    assert.deepEqual(parseSecretFlag('id=TOKEN'), { id: 'TOKEN', env: 'TOKEN' });
    assert.throws(() => parseSecretFlag('id=a,src=/f,env=E'), /not both/);
    assert.throws(() => parseSecretFlag('junk'), /expected key=value/);
  });
});

describe('platforms', () => {
  test('normalised like containerd', () => {
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  });
});

describe('docs/migrating-from-kaniko.md', () => {
  test('tables every flag', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/migrating-from-kaniko.md', import.meta.url), 'utf8');
    for (const f of FLAGS)
      assert.ok(doc.includes(`| \`--${f.name}\``), `--${f.name} missing from the migration guide`);
  });
});
