// Builds the self-contained executor tree: OUT/kaniko/ (executor, its loader and libraries, CA
// certificates, .docker/, marker), OUT/busybox/ with --debug, and OUT/image-config.json. Nothing in
// it depends on the root it later runs under.
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXECUTOR_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { bundleJavaScript } from './js.ts';
import { executorImageConfig, OPENSSL_CONFIG, writeBusybox, writeKanikoFiles } from './layout.ts';
import { copySharedLibraries, sharedLibraries } from './libs.ts';
import { BundleError, runTool } from './run.ts';
import { buildExecutable } from './sea.ts';

/** Where the tree is meant to live in the image; PT_INTERP must be absolute, so it is fixed. */
export const KANIKO_DIR = '/kaniko';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface BundleOptions {
  /** Output directory; OUT/kaniko is replaced if it exists. */
  out: string;
  /** Add a static busybox at OUT/busybox (kaniko's :debug variant). */
  debug?: boolean;
  /** Script to bundle as the executable's main; defaults to the executor entry (trust + CLI). */
  entry?: string;
  /** Executable path inside OUT/kaniko; defaults to `executor`. */
  executableName?: string;
  /** Node binary to build from; defaults to npm's node-linux-<arch> package. */
  nodeBinary?: string;
  /** CA bundle copied to kaniko/ssl/certs/ca-certificates.crt; defaults to Debian's. */
  caBundle?: string;
  /** Static busybox for --debug; defaults to busybox-static's /bin/busybox. */
  busybox?: string;
}

export interface BundleResult {
  kanikoDir: string;
  executable: string;
  imageConfig: string;
  version: string;
}

export function defaultNodeBinary(): string {
  return join(repoRoot, 'node_modules', `node-linux-${process.arch}`, 'bin', 'node');
}

/**
 * getfattr and setfattr (Debian's attr package) under kaniko/bin with their libraries: Node has
 * no xattr API, and in place the base image's own tools (if any) cannot be relied on, so file
 * capabilities and user.* attributes need tools of the builder's own.
 */
async function addAttrTools(kanikoDir: string): Promise<void> {
  const bin = join(kanikoDir, 'bin');
  await mkdir(bin, { recursive: true });
  for (const tool of ATTR_TOOLS) {
    const libs = await sharedLibraries(tool);
    await copySharedLibraries(libs, join(kanikoDir, 'lib'), KANIKO_DIR);
    const dest = join(bin, basename(tool));
    await copyFile(tool, dest);
    await chmod(dest, 0o755);
    await runTool('patchelf', [
      '--set-interpreter',
      `${KANIKO_DIR}/lib/${libs.loader.name}`,
      '--set-rpath',
      `${KANIKO_DIR}/lib:$ORIGIN/../lib`,
      '--force-rpath',
      dest,
    ]);
  }
}

const ATTR_TOOLS = ['/usr/bin/getfattr', '/usr/bin/setfattr'];

export async function buildBundle(opts: BundleOptions): Promise<BundleResult> {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const nodeBinary = opts.nodeBinary ?? defaultNodeBinary();
  const kanikoDir = join(opts.out, 'kaniko');
  const executable = join(kanikoDir, opts.executableName ?? 'executor');
  const work = await mkdtemp(join(tmpdir(), 'kts-bundle-'));
  try {
    await rm(kanikoDir, { recursive: true, force: true });
    await mkdir(kanikoDir, { recursive: true });
    const modulesDir = join(work, 'modules');
    const modules = await bundleJavaScript(
      opts.entry ?? join(repoRoot, 'scripts', 'bundle', 'executor-entry.ts'),
      modulesDir,
      pkg.version,
    );
    const libs = await sharedLibraries(nodeBinary);
    await copySharedLibraries(libs, join(kanikoDir, 'lib'), KANIKO_DIR);
    await buildExecutable({
      nodeBinary,
      modules: { dir: modulesDir, ...modules },
      output: executable,
      interpreter: `${KANIKO_DIR}/lib/${libs.loader.name}`,
      // The fixed path wins in the image; $ORIGIN/lib serves a tree run from anywhere else.
      rpath: [`${KANIKO_DIR}/lib`, '$ORIGIN/lib'],
      execArgv: [...EXECUTOR_NODE_FLAGS, `--openssl-config=${KANIKO_DIR}/${OPENSSL_CONFIG}`],
      workDir: work,
    });
    await addAttrTools(kanikoDir);
    await writeKanikoFiles(kanikoDir, {
      caBundle: opts.caBundle ?? '/etc/ssl/certs/ca-certificates.crt',
      version: pkg.version,
    });
    const busyboxDir = join(opts.out, 'busybox');
    await rm(busyboxDir, { recursive: true, force: true });
    if (opts.debug) await writeBusybox(busyboxDir, opts.busybox ?? '/bin/busybox');
    const imageConfig = join(opts.out, 'image-config.json');
    const config = executorImageConfig({ debug: opts.debug ?? false, arch: process.arch });
    await writeFile(imageConfig, `${JSON.stringify(config, null, 2)}\n`);
    return { kanikoDir, executable, imageConfig, version: pkg.version };
  } catch (e) {
    if (e instanceof BundleError) throw e;
    throw new BundleError(`bundle: ${(e as Error).message}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
