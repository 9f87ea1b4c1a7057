// The builder's JavaScript as ES module chunks for the single executable. Every dependency is
// bundled in (a SEA can load only built-in modules); ESM because the CLI uses top-level await,
// which CommonJS output cannot express. Code split: what is reached only through a dynamic
// import() (cloud SDKs, undici, the build itself) is in chunks of its own, so a start parses only
// what it runs. CommonJS dependencies get a `require` for built-ins.
import { mkdir, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { fixCommonJsDynamicImports } from './cjs-dynamic-import.ts';
import { BundleError } from './run.ts';

/** src/version.ts reads package.json through import.meta.url; the executable has neither a file URL nor package.json. */
function versionPlugin(version: string): Plugin {
  return {
    name: 'kaniko-ts-version',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
        contents: `export const VERSION: string = ${JSON.stringify(version)};\n`,
        loader: 'ts',
      }));
    },
  };
}

const BUILTIN_NAMESPACE = 'kaniko-ts-builtin';

/**
 * Static imports of Node built-ins go through `require`. An ES import of a built-in builds its
 * module facade, which reads every export, lazy getters included: `node:http`'s loads Node's own
 * copy of undici, 50 ms of every start for a module that only later makes a request. Through
 * require, esbuild reads an export where it is used.
 */
function builtinsByRequirePlugin(): Plugin {
  return {
    name: 'kaniko-ts-builtins-by-require',
    setup(b) {
      b.onResolve({ filter: /^[a-z_:/0-9]+$/ }, (args) =>
        args.kind === 'import-statement' && isBuiltin(args.path)
          ? { path: args.path, namespace: BUILTIN_NAMESPACE }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});\n`,
        loader: 'js',
      }));
    },
  };
}

const LEAN_UNDICI = fileURLToPath(new URL('./undici-lean.js', import.meta.url));

/** src/'s imports of 'undici' get the parts it uses (undici-lean.js); see there why. */
function leanUndiciPlugin(): Plugin {
  return {
    name: 'kaniko-ts-lean-undici',
    setup(b) {
      b.onResolve({ filter: /^undici$/ }, (args) =>
        /[\\/]src[\\/]/.test(args.importer) && !args.importer.includes('node_modules')
          ? { path: LEAN_UNDICI }
          : undefined,
      );
    },
  };
}

const LAZY_HTTP2 = fileURLToPath(new URL('./http2-lazy.cjs', import.meta.url));

/** undici's HTTP/2 client gets node:http2 when it first connects (http2-lazy.cjs; see there why). */
function lazyHttp2Plugin(): Plugin {
  return {
    name: 'kaniko-ts-lazy-http2',
    setup(b) {
      b.onResolve({ filter: /^node:http2$/ }, (args) =>
        args.kind === 'require-call' && /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer)
          ? { path: LAZY_HTTP2 }
          : undefined,
      );
    },
  };
}

export interface BundledModules {
  /** File name (in outDir) of the entry module. */
  entry: string;
  /** Every module file in outDir, the entry included, sorted. */
  files: string[];
}

/**
 * Bundles `entry` (TypeScript, `.ts` imports) into outDir (which must be empty): the entry module
 * and the chunks it imports by relative specifiers (`./chunk-HASH.js`), names derived from content
 * only. Any esbuild warning fails the build.
 */
export async function bundleJavaScript(
  entry: string,
  outDir: string,
  version: string,
): Promise<BundledModules> {
  const result = await build({
    entryPoints: [entry],
    outdir: outDir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    write: false,
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Built-ins through require, not an ES import: no module facade, nothing for the SEA's hooks.
    banner: {
      js: "const require = process.getBuiltinModule('node:module').createRequire(process.execPath);",
    },
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [versionPlugin(version), builtinsByRequirePlugin(), leanUndiciPlugin(), lazyHttp2Plugin()],
  });
  const problems = [...result.errors, ...result.warnings];
  if (problems.length > 0) {
    const p = problems[0]!;
    const at = p.location ? `${p.location.file}:${p.location.line}: ` : '';
    throw new BundleError(
      `esbuild: ${at}${p.text}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
    );
  }
  const chunks = new Map<string, string>();
  for (const f of result.outputFiles ?? []) {
    const name = relative(resolve(outDir), f.path);
    if (name !== basename(f.path)) throw new BundleError(`esbuild: ${f.path} is not in ${outDir}`);
    chunks.set(name, f.text);
  }
  await mkdir(outDir, { recursive: true });
  const fixed = fixCommonJsDynamicImports(chunks);
  for (const [name, text] of fixed) await writeFile(join(outDir, name), text);
  const files = [...fixed.keys()].sort();
  const entryFile = `${basename(entry, extname(entry))}.js`;
  if (!files.includes(entryFile)) throw new BundleError(`esbuild: no ${entryFile} among its outputs`);
  return { entry: entryFile, files };
}
