// kaniko-ts command line entry point: flags → BuildOptions → build, errors → one line + exit code.
import { CancelledError, ContextError, RunFailedError } from '../build/errors.ts';
import { DockerfileError } from '../dockerfile/errors.ts';
import { Logger } from '../log/logger.ts';
import { InvalidReferenceError, RegistryError } from '../registry/errors.ts';
import { VERSION } from '../version.ts';
import { EXIT } from './exit-codes.ts';
import { helpText, parseFlags, UsageError } from './flags.ts';
import { toBuildOptions } from './options.ts';

/** Maps any error to its exit code; the single place that decides them. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof DockerfileError) return EXIT.dockerfile;
  if (e instanceof RunFailedError) return EXIT.run;
  if (e instanceof InvalidReferenceError) return EXIT.usage;
  if (e instanceof RegistryError) return e.kind === 'auth' ? EXIT.auth : EXIT.registry;
  if (e instanceof ContextError) return EXIT.context;
  if (e instanceof CancelledError) return e.signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  if (e instanceof Error && e.name === 'ContextError') return EXIT.context;
  return EXIT.internal;
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.some((a) => /^(-v|--verbosity)[= ]?(debug|trace)$/.test(a)) || argv.includes('debug');
  try {
    if (argv[0] === 'version' || argv.includes('--version')) {
      process.stdout.write(`kaniko-ts ${VERSION} (node ${process.version})\n`);
      return EXIT.ok;
    }
    const flags = parseFlags(argv);
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
    for (const note of flags.notes) log.warn(note);
    const controller = new AbortController();
    const onSignal = (sig: 'SIGINT' | 'SIGTERM') => controller.abort(new CancelledError(sig));
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    const { build } = await import('../build/executor.ts');
    await build(options, log, controller.signal);
    return EXIT.ok;
  } catch (e) {
    const code = exitCodeFor(e);
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: ${message.split('\n')[0]}\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return code;
  }
}

process.exitCode = await main(process.argv.slice(2));
