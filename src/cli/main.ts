// kaniko-ts command line entry point: flags → BuildOptions → build, errors → one line + exit code.
import { CancelledError, ContextError, RunFailedError } from '../build/errors.ts';
import { DockerignoreError } from '../dockerfile/dockerignore.ts';
import { DockerfileError } from '../dockerfile/errors.ts';
import {
  ArchiveFormatError,
  CopyError,
  DownloadError,
  SourceNotFoundError,
  UnsafeEntryError,
} from '../fs/errors.ts';
import { ImageError } from '../image/errors.ts';
import { Logger } from '../log/logger.ts';
import { InvalidReferenceError, RegistryError } from '../registry/errors.ts';
import { SandboxError } from '../sandbox/errors.ts';
import { VERSION } from '../version.ts';
import { EXIT } from './exit-codes.ts';
import { helpText, parseFlags, UsageError } from './flags.ts';
import { toBuildOptions } from './options.ts';
import { detectPlatform } from './platform.ts';

/** Maps any error to its exit code; the single place that decides them. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof DockerfileError) return EXIT.dockerfile;
  if (e instanceof RunFailedError) return EXIT.run;
  if (e instanceof InvalidReferenceError) return EXIT.usage;
  if (e instanceof RegistryError) return e.kind === 'auth' ? EXIT.auth : EXIT.registry;
  if (e instanceof ContextError) return EXIT.context;
  if (e instanceof CancelledError) return e.signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  if (e instanceof SandboxError) return EXIT.sandbox;
  if (e instanceof SourceNotFoundError || e instanceof CopyError || e instanceof DownloadError)
    return EXIT.context;
  if (e instanceof DockerignoreError) return EXIT.context;
  if (e instanceof UnsafeEntryError || e instanceof ArchiveFormatError || e instanceof ImageError)
    return EXIT.registry;
  return EXIT.internal;
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.some((a) => /^(-v|--verbosity)[= ]?(debug|trace)$/.test(a)) || argv.includes('debug');
  try {
    if (argv[0] === 'version' || argv.includes('--version')) {
      process.stdout.write(`kaniko-ts ${VERSION} (node ${process.version})\n`);
      return EXIT.ok;
    }
    if (argv[0] === 'warmer') return await warmer(argv.slice(1));
    // The platform may find secrets (a metadata token) and say things before the logger exists.
    const early: string[] = [];
    let mask = (s: string) => {
      early.push(s);
    };
    let note = (_line: string) => {};
    const platform = detectPlatform(argv, process.env, { mask: (s) => mask(s), note: (l) => note(l) });
    const flags = parseFlags(platform.argv);
    if (flags.values.get('help') === true) {
      process.stdout.write(helpText());
      return EXIT.ok;
    }
    if (flags.positional.length > 0) throw new UsageError(`unexpected argument "${flags.positional[0]}"`);
    const options = toBuildOptions(flags);
    const log = new Logger({
      level: options.verbosity,
      format: options.logFormat,
      timestamps: options.logTimestamp,
    });
    log.debug(`kaniko-ts ${VERSION}, node ${process.version} ${process.execArgv.join(' ')}`.trimEnd());
    for (const note of flags.notes) log.warn(note);
    mask = (s) => log.mask(s);
    note = (l) => log.warn(l);
    for (const s of [...early, ...platform.secrets]) log.mask(s);
    for (const note of platform.notes) log.info(note);
    // A non-root build runs whole inside a user namespace (as rootless buildah does), so image
    // owners, chown in RUN and the chroot sandbox all work; proot needs no namespace.
    if (process.getuid?.() !== 0 && options.sandbox !== 'proot' && options.sandbox !== 'in-place') {
      const { enterUserNamespace } = await import('../sandbox/userns.ts');
      // Inside the single-executable build the binary is the whole program; from source it is node + script.
      const sea = await import('node:sea').then(
        (m) => m.isSea(),
        () => false,
      );
      const self = sea ? [process.execPath] : [process.execPath, ...process.execArgv, process.argv[1]!];
      const code = await enterUserNamespace([...self, ...argv], {
        warn: (m) => log.warn(m),
      });
      if (code !== undefined) return code;
    }
    const controller = new AbortController();
    const onSignal = (sig: 'SIGINT' | 'SIGTERM') => controller.abort(new CancelledError(sig));
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    const { build } = await import('../build/executor.ts');
    const result = await build(options, log, controller.signal, {
      keychain: (fromConfig) => platform.keychain(fromConfig),
    });
    if (result.pushed) {
      await platform.report(result.destinations.map((name) => ({ name, digest: result.digest })));
    }
    return EXIT.ok;
  } catch (e) {
    const code = exitCodeFor(e);
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: ${message.split('\n')[0]}\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return code;
  }
}

/**
 * `kaniko-ts warmer --image REF [--image REF…] --cache-dir DIR [--force]`, kaniko's warmer: stores
 * base images where builds with the same --cache-dir find them. Registry and platform flags are
 * the executor's.
 */
async function warmer(argv: readonly string[]): Promise<number> {
  const images: string[] = [];
  let force = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = /^(--image|-i)=(.*)$/.exec(a);
    if (eq) images.push(eq[2]!);
    else if (a === '--image' || a === '-i') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      images.push(v);
    } else if (a === '--force' || a === '--force=true') force = true;
    else rest.push(a);
  }
  if (images.length === 0) throw new UsageError('warmer: give at least one --image');
  const flags = parseFlags([...rest, '--no-push']);
  const options = toBuildOptions(flags);
  const log = new Logger({
    level: options.verbosity,
    format: options.logFormat,
    timestamps: options.logTimestamp,
  });
  const { warmImage } = await import('../cache/warmer.ts');
  const { registryOptionsFromFlags } = await import('../registry/options.ts');
  const { dockerConfigKeychain } = await import('../registry/auth/keychain.ts');
  const registry = registryOptionsFromFlags(options.registry, dockerConfigKeychain());
  for (const image of images) {
    const r = await warmImage(image, {
      cacheDir: options.cache.dir,
      platform: options.platform,
      registry,
      force,
      ttlMs: options.cache.ttlMs,
    });
    log.info(`${image}: ${r.fetched ? 'stored' : 'already stored'} (${r.digest}) in ${options.cache.dir}`);
  }
  return EXIT.ok;
}

process.exitCode = await main(process.argv.slice(2));
