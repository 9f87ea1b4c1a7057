// Builder flags (`--from=build`, `--link`, `--mount=...` repeated) as BuildKit's BFlags reads them.
import { suggest } from './errors.ts';

export type FlagType = 'bool' | 'string' | 'strings';

export class FlagError extends Error {}

export interface ParsedFlags {
  strings: Map<string, string>;
  lists: Map<string, string[]>;
  bools: Map<string, boolean>;
  /** Names given, in order, without the dashes. */
  used: string[];
}

/** Parses `flags` against the allowed set; errors carry BuildKit's messages. */
const NONE: ParsedFlags = Object.freeze({
  strings: new Map<string, string>(),
  lists: new Map<string, string[]>(),
  bools: new Map<string, boolean>(),
  used: [],
});

export function parseFlags(flags: readonly string[], allowed: Record<string, FlagType>): ParsedFlags {
  // Most instructions have no flags: share one empty (never mutated) result.
  if (flags.length === 0) return NONE;
  const out: ParsedFlags = { strings: new Map(), lists: new Map(), bools: new Map(), used: [] };
  for (const arg of flags) {
    if (!arg.startsWith('--')) throw new FlagError(`arg should start with -- : ${arg}`);
    if (arg === '--') break;
    let name = arg.slice(2);
    let value = '';
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const type = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (type === undefined) {
      const hint = suggest(name, Object.keys(allowed));
      throw new FlagError(`unknown flag: ${name}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    if (out.used.includes(name) && type !== 'strings')
      throw new FlagError(`duplicate flag specified: ${name}`);
    out.used.push(name);
    switch (type) {
      case 'bool': {
        if (eq >= 0 && value === '') throw new FlagError(`missing a value on flag: ${name}`);
        const v = value.toLowerCase();
        if (v === 'true' || v === '') out.bools.set(name, true);
        else if (v === 'false') out.bools.set(name, false);
        else throw new FlagError(`expecting boolean value for flag ${name}, not: ${value}`);
        break;
      }
      case 'string':
        if (eq < 0) throw new FlagError(`missing a value on flag: ${name}`);
        out.strings.set(name, value);
        break;
      case 'strings': {
        if (eq < 0) throw new FlagError(`missing a value on flag: ${name}`);
        const list = out.lists.get(name) ?? [];
        list.push(value);
        out.lists.set(name, list);
        break;
      }
    }
  }
  return out;
}
