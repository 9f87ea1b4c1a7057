// The dynamic loader and shared libraries the executable needs, copied under <kaniko>/lib so that
// replacing the root's /lib, /usr/lib and /etc (a glibc, musl or empty base extracted over /)
// cannot break the running builder.
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BundleError, runTool } from './run.ts';

export interface SharedObject {
  /** File name the executable asks for (DT_NEEDED soname, or the loader's name). */
  name: string;
  /** Where it is on the build host. */
  path: string;
}

export interface SharedLibraries {
  /** The program interpreter (ld-linux-*.so.*). */
  loader: SharedObject;
  libraries: SharedObject[];
}

/** Parses `ldd` output. Refuses libraries ldd could not find. */
export function parseLdd(text: string): SharedLibraries {
  let loader: SharedObject | undefined;
  const libraries: SharedObject[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('linux-vdso') || line.startsWith('linux-gate')) continue;
    const missing = /^(\S+) => not found$/.exec(line);
    if (missing) throw new BundleError(`ldd: ${missing[1]} not found on this machine`);
    const arrow = /^(\S+) => (\S+)(?: \(0x[0-9a-f]+\))?$/.exec(line);
    if (arrow) {
      const name = basename(arrow[1]!);
      const path = arrow[2]!;
      if (/^ld-linux/.test(name)) loader ??= { name, path };
      else libraries.push({ name, path });
      continue;
    }
    const bare = /^(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (bare) {
      const path = bare[1]!;
      loader = { name: basename(path), path };
      continue;
    }
    if (/not found/.test(line)) throw new BundleError(`ldd: ${line}`);
  }
  if (!loader) throw new BundleError('ldd: no program interpreter found (is the binary static?)');
  return { loader, libraries };
}

export async function sharedLibraries(binary: string): Promise<SharedLibraries> {
  return parseLdd(await runTool('ldd', [binary]));
}

/**
 * glibc's loader reads /etc/ld.so.preload (libraries injected into every process) and
 * /etc/ld.so.cache (where to find a soname) from the root, which in-place builds replace. The
 * copy under /kaniko/lib reads <kanikoDir>/ld.preload and <kanikoDir>/ld.cache instead: same-length
 * string replacements in the loader's read-only data, which is all these paths are.
 */
export function isolateLoader(loader: Buffer, kanikoDir: string): Buffer {
  const out = Buffer.from(loader);
  const swaps: Array<[string, string]> = [
    ['/etc/ld.so.preload', `${kanikoDir}/ld.preload`],
    ['/etc/ld.so.cache', `${kanikoDir}/ld.cache`],
  ];
  for (const [from, to] of swaps) {
    if (to.length > from.length) throw new BundleError(`loader: ${to} is longer than ${from}`);
    const needle = Buffer.from(`\0${from}\0`, 'latin1');
    const replacement = Buffer.alloc(needle.length);
    replacement.write(`\0${to}`, 'latin1');
    let found = 0;
    for (let at = out.indexOf(needle); at !== -1; at = out.indexOf(needle, at + 1)) {
      replacement.copy(out, at);
      found++;
    }
    if (found === 0) throw new BundleError(`loader: ${from} not found in the dynamic loader`);
  }
  return out;
}

/** Copies the loader (isolated) and every library into libDir under the names the binary asks for. */
export async function copySharedLibraries(
  libs: SharedLibraries,
  libDir: string,
  kanikoDir: string,
): Promise<void> {
  await mkdir(libDir, { recursive: true });
  const loaderDest = join(libDir, libs.loader.name);
  await writeFile(loaderDest, isolateLoader(await readFile(libs.loader.path), kanikoDir));
  await chmod(loaderDest, 0o755);
  for (const lib of libs.libraries) {
    const dest = join(libDir, lib.name);
    await copyFile(lib.path, dest);
    await chmod(dest, 0o644);
  }
}
