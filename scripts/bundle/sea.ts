// Turns a bundled ES module and a Node binary into one executable (a Node single executable
// application): the module as a SEA asset behind a small CommonJS main, the blob injected into a stripped copy of node with postject, then the
// program interpreter and library search path pointed at the bundle's own loader and libraries.
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runTool } from './run.ts';

/** The fuse Node checks to know a blob was injected (Node's documented SEA sentinel). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface ExecutableOptions {
  /** The node binary to build from; also makes the blob, so code cache and binary match. */
  nodeBinary: string;
  /** The bundled ES module (Node 24's SEA main must be CommonJS, so a loader imports it). */
  script: string;
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

const ASSET = 'executor.mjs';

/**
 * The SEA main: evaluates the bundled module from a data: URL (a SEA cannot import files, and
 * data: modules may import built-ins). Errors the CLI did not handle still end in one line.
 */
const LOADER = `'use strict';
const source = require('node:sea').getAsset(${JSON.stringify(ASSET)});
import('data:text/javascript;base64,' + Buffer.from(source).toString('base64')).catch((e) => {
  process.stderr.write('kaniko-ts: internal error: ' + String(e && e.message ? e.message : e).split('\\n')[0] + '\\n');
  process.exitCode = 1;
});
`;

export async function buildExecutable(opts: ExecutableOptions): Promise<void> {
  // Paths relative to workDir: the blob records the main script's path, and a temporary
  // directory's name would make every build's bytes differ.
  const blob = join(opts.workDir, 'sea-prep.blob');
  await writeFile(join(opts.workDir, 'sea-main.cjs'), LOADER);
  await writeFile(
    join(opts.workDir, 'sea-config.json'),
    JSON.stringify({
      main: 'sea-main.cjs',
      output: 'sea-prep.blob',
      disableExperimentalSEAWarning: true,
      assets: { [ASSET]: opts.script },
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
