// Validates platform YAML against the published JSON schemas in test/fixtures/schemas/, and
// checks executor arguments with the CLI's real parser so a misspelt flag fails a test.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { load, loadAll } from 'js-yaml';
import { parseFlags } from '../../../../src/cli/flags.ts';
import { type BuildOptions, toBuildOptions } from '../../../../src/cli/options.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SCHEMAS = join(ROOT, 'test', 'fixtures', 'schemas');

export type SchemaName = 'cloudbuild' | 'gitlab-ci' | 'github-action';

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM loader.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

const compiled = new Map<SchemaName, ValidateFunction>();

function schemaFor(name: SchemaName): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, `${name}.json`), 'utf8')) as Record<string, unknown>;
  if (name === 'github-action') {
    // The fixture predates GitHub's node24 runtime (see test/fixtures/schemas/README.md).
    const defs = schema.definitions as Record<string, { properties: { using: { enum: string[] } } }>;
    const using = defs['runs-javascript']!.properties.using;
    if (!using.enum.includes('node24')) using.enum.push('node24');
  }
  return schema;
}

export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    // strict off: these schemas use annotation keywords (markdownDescription, enumDescriptions)
    // and Google's formats (google-duration, int64, byte) that ajv does not know.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    for (const f of ['google-duration', 'int64', 'byte']) ajv.addFormat(f, true);
    v = ajv.compile(schemaFor(name));
    compiled.set(name, v);
  }
  return v;
}

export function schemaErrors(name: SchemaName, doc: unknown): string[] {
  const v = validator(name);
  if (v(doc)) return [];
  return (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

export function readText(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

export function loadYaml(rel: string): unknown {
  return load(readText(rel));
}

export function loadYamlDocs(rel: string): unknown[] {
  return loadAll(readText(rel));
}

/** The executor's view of an argument list: parsed by the CLI's own flags and options code. */
export function executorOptions(args: readonly string[], env: NodeJS.ProcessEnv = {}): BuildOptions {
  const flags = parseFlags(args);
  if (flags.positional.length > 0)
    throw new Error(`unexpected positional arguments: ${flags.positional.join(' ')}`);
  return toBuildOptions(flags, env);
}
