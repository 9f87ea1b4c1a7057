// Shorthands for writing expected commands by hand in the corpus (not derived from the parser).
import {
  type Command,
  DockerfileError,
  parseCommand,
  parseDockerfile,
} from '../../../src/dockerfile/index.ts';

export type Shown = Record<string, unknown>;

/** A command without its source text and line range, and without fields at their defaults. */
export function show(cmd: Command): Shown {
  const out: Shown = {};
  for (const [k, v] of Object.entries(cmd)) {
    if (k === 'original' || k === 'line' || k === 'endLine' || k === 'mountSpecs') continue;
    if (
      v === false &&
      (k === 'link' || k === 'json' || k === 'parents' || k === 'readOnly' || k === 'required')
    )
      continue;
    if (Array.isArray(v) && v.length === 0 && ['exclude', 'files', 'mounts', 'sourceContents'].includes(k))
      continue;
    out[k] = v;
  }
  return out;
}

/** Parses a snippet node by node (no FROM needed); returns the shown commands or the error text. */
export function parseSnippet(input: string): Shown[] | string {
  try {
    const df = parseDockerfile(input, 'Dockerfile');
    return df.nodes.map((n) => show(parseCommand(n, 'Dockerfile')));
  } catch (e) {
    if (e instanceof DockerfileError) return e.toString();
    throw e;
  }
}

export const run = (c: string | string[], extra: Shown = {}): Shown =>
  typeof c === 'string'
    ? { kind: 'RUN', cmdLine: [c], prependShell: true, ...extra }
    : { kind: 'RUN', cmdLine: c, prependShell: false, ...extra };
export const cmd = (c: string | string[]): Shown =>
  typeof c === 'string'
    ? { kind: 'CMD', cmdLine: [c], prependShell: true }
    : { kind: 'CMD', cmdLine: c, prependShell: false };
export const entrypoint = (c: string | string[]): Shown =>
  typeof c === 'string'
    ? { kind: 'ENTRYPOINT', cmdLine: [c], prependShell: true }
    : { kind: 'ENTRYPOINT', cmdLine: c, prependShell: false };
const pairs = (list: Array<[string, string]>, noDelim = false) =>
  list.map(([key, value]) => ({ key, value, noDelim }));
export const env = (...list: Array<[string, string]>): Shown => ({ kind: 'ENV', env: pairs(list) });
export const envLegacy = (key: string, value: string): Shown => ({
  kind: 'ENV',
  env: pairs([[key, value]], true),
});
export const label = (...list: Array<[string, string]>): Shown => ({ kind: 'LABEL', labels: pairs(list) });
export const labelLegacy = (key: string, value: string): Shown => ({
  kind: 'LABEL',
  labels: pairs([[key, value]], true),
});
export const arg = (...list: Array<[string] | [string, string]>): Shown => ({
  kind: 'ARG',
  args: list.map((a) => (a.length === 1 ? { key: a[0] } : { key: a[0], value: a[1] })),
});
export const from = (image: string, extra: Shown = {}): Shown => ({ kind: 'FROM', image, ...extra });
export const copy = (sources: string[], dest: string, extra: Shown = {}): Shown => ({
  kind: 'COPY',
  sources,
  dest,
  ...extra,
});
export const add = (sources: string[], dest: string, extra: Shown = {}): Shown => ({
  kind: 'ADD',
  sources,
  dest,
  ...extra,
});
export const workdir = (path: string): Shown => ({ kind: 'WORKDIR', path });
export const user = (u: string): Shown => ({ kind: 'USER', user: u });
export const volume = (...volumes: string[]): Shown => ({ kind: 'VOLUME', volumes });
export const expose = (...ports: string[]): Shown => ({ kind: 'EXPOSE', ports });
export const stopsignal = (signal: string): Shown => ({ kind: 'STOPSIGNAL', signal });
export const shell = (...s: string[]): Shown => ({ kind: 'SHELL', shell: s });
export const maintainer = (m: string): Shown => ({ kind: 'MAINTAINER', maintainer: m });
export const onbuild = (expression: string): Shown => ({ kind: 'ONBUILD', expression });
export const health = (
  test: string[],
  o: Partial<Record<'interval' | 'timeout' | 'startPeriod' | 'startInterval' | 'retries', number>> = {},
): Shown => ({
  kind: 'HEALTHCHECK',
  health: { test, interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0, ...o },
});
export const file = (name: string, data: string, o: { expand?: boolean; chomp?: boolean } = {}) => ({
  name,
  data,
  expand: o.expand ?? true,
  chomp: o.chomp ?? false,
});
