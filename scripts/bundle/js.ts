// The builder's JavaScript as one ES module for the single executable. Every dependency is bundled
// in (a SEA can load only built-in modules); ESM because the CLI uses top-level await, which
// CommonJS output cannot express. CommonJS dependencies get a `require` for built-ins.
import { build, type Plugin } from 'esbuild';
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

/** Bundles `entry` (TypeScript, `.ts` imports) into `outFile`. Any esbuild warning fails the build. */
export async function bundleJavaScript(entry: string, outFile: string, version: string): Promise<void> {
  const result = await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    banner: {
      js: "import { createRequire as __ktsCreateRequire } from 'node:module';\nconst require = __ktsCreateRequire(process.execPath);",
    },
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [versionPlugin(version)],
  });
  const problems = [...result.errors, ...result.warnings];
  if (problems.length > 0) {
    const p = problems[0]!;
    const at = p.location ? `${p.location.file}:${p.location.line}: ` : '';
    throw new BundleError(
      `esbuild: ${at}${p.text}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
    );
  }
}
