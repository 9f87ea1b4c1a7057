// Cloud Build reads what a step pushed from $BUILDER_OUTPUT/images: one JSON object per line,
// {"name": <reference as pushed>, "digest": <sha256:…>}. Appended, so several steps (or several
// builds in one step) each add their own lines.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface BuiltImage {
  /** The destination as given to --destination (registry/repository:tag). */
  name: string;
  /** The manifest digest the registry accepted. */
  digest: string;
}

export class BuilderOutputError extends Error {
  override name = 'BuilderOutputError';
}

/** The lines for these images, each `{"name":…,"digest":…}` followed by a newline. */
export function builderOutputLines(images: readonly BuiltImage[]): string {
  let out = '';
  for (const { name, digest } of images) {
    if (name === '' || !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/.test(digest))
      throw new BuilderOutputError(`builder output: invalid image "${name}" with digest "${digest}"`);
    out += `${JSON.stringify({ name, digest })}\n`;
  }
  return out;
}

/**
 * Appends the images to $BUILDER_OUTPUT/images when BUILDER_OUTPUT is set (Cloud Build sets it
 * for each step); returns the file written, or undefined outside Cloud Build.
 */
export async function writeBuilderOutput(
  images: readonly BuiltImage[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string | undefined> {
  const dir = env.BUILDER_OUTPUT;
  if (!dir) return undefined;
  const lines = builderOutputLines(images);
  const file = join(dir, 'images');
  try {
    await mkdir(dir, { recursive: true });
    await appendFile(file, lines, { mode: 0o644 });
  } catch (e) {
    throw new BuilderOutputError(
      `builder output: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
    );
  }
  return file;
}
