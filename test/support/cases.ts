// The build cases in test/cases: each a folder with a Dockerfile, its context and an optional case.json.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BuildCase {
  name: string;
  dir: string;
  buildArgs: Record<string, string>;
  target?: string;
  secrets: Record<string, string>;
  /** false: the 2021 oracle cannot build it; `expect` holds the reference's result. */
  oracle: boolean;
  why?: string;
  expect?: { files?: Record<string, string>; absent?: string[]; env?: string[] };
  /**
   * Mount targets BuildKit 0.8 leaves in the image as empty stubs; today's BuildKit removes them,
   * and so must kaniko-ts (they are dropped from the oracle's tree and must be absent from ours).
   */
  oracleMountStubs: string[];
}

export const CASES_DIR = new URL('../cases/', import.meta.url).pathname;

export async function loadCases(): Promise<BuildCase[]> {
  const names = (await readdir(CASES_DIR)).filter((d) => /^\d+-/.test(d)).sort();
  const cases: BuildCase[] = [];
  for (const name of names) {
    const dir = join(CASES_DIR, name);
    const cfgPath = join(dir, 'case.json');
    const cfg = existsSync(cfgPath)
      ? (JSON.parse(await readFile(cfgPath, 'utf8')) as Partial<BuildCase> & { oracle?: boolean })
      : {};
    cases.push({
      name,
      dir,
      buildArgs: cfg.buildArgs ?? {},
      ...(cfg.target ? { target: cfg.target } : {}),
      secrets: cfg.secrets ?? {},
      oracleMountStubs: cfg.oracleMountStubs ?? [],
      oracle: cfg.oracle !== false,
      ...(cfg.why ? { why: cfg.why } : {}),
      ...(cfg.expect ? { expect: cfg.expect } : {}),
    });
  }
  return cases;
}
