// Turns bundled ES modules and a Node binary into one executable (a Node single executable
// application): every module a SEA asset behind a small CommonJS main, the blob injected into a
// stripped copy of node with postject, then the program interpreter and library search path
// pointed at the bundle's own loader and libraries.
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { runTool } from './run.ts';

/** The fuse Node checks to know a blob was injected (Node's documented SEA sentinel). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface SeaModules {
  /** Directory holding the module files. */
  dir: string;
  /** File name of the module the executable runs. */
  entry: string;
  /** Every module file name (the entry included); each becomes an asset of that name. */
  files: readonly string[];
}

export interface ExecutableOptions {
  /** The node binary to build from; also makes the blob, so code cache and binary match. */
  nodeBinary: string;
  /** The bundled ES modules (Node 24's SEA main must be CommonJS, so a loader imports them). */
  modules: SeaModules;
  /** Where to write the executable. */
  output: string;
  /** Absolute path of the program interpreter to record (PT_INTERP). */
  interpreter: string;
  /** DT_RPATH entries, searched before LD_LIBRARY_PATH, the loader cache and the system dirs. */
  rpath: readonly string[];
  /** Node options baked into the executable (SEA execArgv). */
  execArgv: readonly string[];
  /** Scratch directory for the SEA config and blob. */
  workDir: string;
}

/** URL scheme of the embedded modules: not file:, so no module takes them for files on disk. */
export const MODULE_SCHEME = 'kts-sea:';

/**
 * The SEA main. A SEA cannot import files, so synchronous module hooks resolve the embedded
 * modules' specifiers (the entry's URL, and `./chunk-….js` relative to an embedded module) to
 * MODULE_SCHEME URLs and load each one's source straight from its asset; built-ins go to Node's own
 * resolver. A module's asset is read only when it is imported, so a start parses only what it
 * runs. Errors the CLI did not handle still end in one line.
 */
export function seaMain(modules: Pick<SeaModules, 'entry' | 'files'>): string {
  return `'use strict';
const { getAsset } = require('node:sea');
const { registerHooks } = require('node:module');
const SCHEME = ${JSON.stringify(MODULE_SCHEME)};
const ASSETS = new Set(${JSON.stringify([...modules.files].sort())});
registerHooks({
  resolve(specifier, context, nextResolve) {
    let url;
    if (specifier.startsWith(SCHEME)) url = specifier;
    else if (context.parentURL && context.parentURL.startsWith(SCHEME) && specifier.startsWith('./'))
      url = new URL(specifier, context.parentURL).href;
    if (url === undefined) return nextResolve(specifier, context);
    if (!ASSETS.has(url.slice(SCHEME.length + 1))) throw new Error('no embedded module ' + url);
    return { url, format: 'module', shortCircuit: true };
  },
  load(url, context, nextLoad) {
    if (!url.startsWith(SCHEME)) return nextLoad(url, context);
    return { format: 'module', source: getAsset(url.slice(SCHEME.length + 1), 'utf8'), shortCircuit: true };
  },
});
import(SCHEME + '/' + ${JSON.stringify(modules.entry)}).catch((e) => {
  process.stderr.write('kaniko-ts: internal error: ' + String(e && e.message ? e.message : e).split('\\n')[0] + '\\n');
  process.exitCode = 1;
});
`;
}

export async function buildExecutable(opts: ExecutableOptions): Promise<void> {
  // Paths relative to workDir: the blob records the main script's path, and a temporary
  // directory's name would make every build's bytes differ.
  const blob = join(opts.workDir, 'sea-prep.blob');
  await writeFile(join(opts.workDir, 'sea-main.cjs'), seaMain(opts.modules));
  const assets: Record<string, string> = {};
  for (const f of [...opts.modules.files].sort())
    assets[f] = relative(opts.workDir, join(opts.modules.dir, f));
  await writeFile(
    join(opts.workDir, 'sea-config.json'),
    JSON.stringify({
      main: 'sea-main.cjs',
      output: 'sea-prep.blob',
      disableExperimentalSEAWarning: true,
      assets,
      execArgv: opts.execArgv,
      // NODE_OPTIONS in a CI job's env is meant for the user's own node builds, not for the builder.
      execArgvExtension: 'none',
    }),
  );
  await runTool(opts.nodeBinary, ['--experimental-sea-config', 'sea-config.json'], opts.workDir);
  await copyFile(opts.nodeBinary, opts.output);
  await chmod(opts.output, 0o755);
  // Symbols and debug info are a fifth of npm's node binary and nothing at run time needs them.
  await runTool('strip', ['--strip-all', opts.output]);
  const postjectCli = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  await runTool(process.execPath, [
    postjectCli,
    opts.output,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    SEA_FUSE,
  ]);
  // patchelf after postject (the order the tests exercise): it keeps postject's note segment.
  await runTool('patchelf', [
    '--set-interpreter',
    opts.interpreter,
    '--set-rpath',
    opts.rpath.join(':'),
    '--force-rpath',
    opts.output,
  ]);
}
