// bench/RESULTS.md and the JSON files it is rendered from: results.json (npm run bench) and
// cache-rebuild.json (bench/cache-rebuild.ts --write). Either writer re-renders RESULTS.md with
// what the other last wrote, so neither loses the other's section.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type CacheRebuilds, type Results, renderMarkdown } from './report.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BENCH = join(REPO, 'bench');
const RESULTS_JSON = join(BENCH, 'results.json');
const CACHE_JSON = join(BENCH, 'cache-rebuild.json');
const RESULTS_MD = join(BENCH, 'RESULTS.md');

async function readJson<T>(path: string): Promise<T | undefined> {
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as T) : undefined;
}

export const readResults = () => readJson<Results>(RESULTS_JSON);

async function render(results: Results, cache: CacheRebuilds | undefined, written: string[]): Promise<void> {
  await writeFile(RESULTS_MD, renderMarkdown(results, cache));
  // Keep the written files as the repo's formatter wants them, so `biome ci` stays green.
  await promisify(execFile)(join(REPO, 'node_modules', '.bin', 'biome'), [
    'format',
    '--write',
    RESULTS_MD,
    ...written,
  ]).catch(() => undefined);
}

/** Writes results.json and RESULTS.md (with the last cache-rebuild section, if any). */
export async function writeResults(results: Results): Promise<void> {
  await writeFile(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  await render(results, await readJson<CacheRebuilds>(CACHE_JSON), [RESULTS_JSON]);
}

/** Writes cache-rebuild.json and, when there are results to render it with, RESULTS.md. */
export async function writeCacheRebuilds(cache: CacheRebuilds): Promise<void> {
  await writeFile(CACHE_JSON, `${JSON.stringify(cache, null, 2)}\n`);
  const results = await readResults();
  if (results) await render(results, cache, [CACHE_JSON]);
}
