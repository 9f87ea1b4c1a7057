// kaniko-ts command line entry point. Flags mirror kaniko's executor; the build itself lands
// with the executor (see docs/ARCHITECTURE.md).
import { VERSION } from '../version.ts';

export function main(argv: readonly string[]): number {
  if (argv.includes('--version') || argv[0] === 'version') {
    process.stdout.write(`kaniko-ts ${VERSION} (node ${process.version})\n`);
    return 0;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: kaniko-ts --dockerfile FILE --context DIR --destination REF [flags]\n');
    return 0;
  }
  process.stderr.write('kaniko-ts: building is not available yet in this version\n');
  return 1;
}

process.exitCode = main(process.argv.slice(2));
