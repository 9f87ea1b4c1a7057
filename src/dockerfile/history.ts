// What the executor needs to turn (expanded) commands into image config and history the way BuildKit
// does: argv for shell/exec form, WORKDIR normalisation, and the `created_by` text of each step.
import { formatGoDuration } from './duration.ts';
import { goQuote } from './goquote.ts';
import type { Command, HealthConfig, InlineFile, RunCommand, ShellDependent } from './instructions.ts';
import { chompHeredocContent, parseHeredocWord } from './parser.ts';
import { parsePortSpecs } from './ports.ts';

export { goQuote };

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** Build args that are usable without being declared and never appear in history. */
export const PROXY_ARGS: readonly string[] = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

/** argv for CMD/ENTRYPOINT/RUN: exec form as is; shell form is SHELL (or /bin/sh -c) + the joined line. */
export function commandArgv(cmd: ShellDependent, shell?: readonly string[]): string[] {
  if (!cmd.prependShell) return [...cmd.cmdLine];
  const sh = shell && shell.length > 0 ? shell : DEFAULT_SHELL;
  return [...sh, cmd.cmdLine.join(' ')];
}

/**
 * argv BuildKit runs for a RUN, heredocs included: a lone `<<EOF` runs its body through the shell
 * (or, when the body starts with `#!`, the shell runs /dev/pipes/<name>: the executor mounts
 * `scriptFile` there, mode 0755, read-only); otherwise the heredocs are appended to the command line.
 */
export function runArgv(
  cmd: RunCommand,
  shell?: readonly string[],
): { argv: string[]; scriptFile?: InlineFile } {
  if (cmd.files.length === 0 || !cmd.prependShell || cmd.cmdLine.length !== 1)
    return { argv: commandArgv(cmd, shell) };
  const line = cmd.cmdLine[0]!;
  let single: ReturnType<typeof parseHeredocWord>;
  try {
    single = parseHeredocWord(line);
  } catch {
    single = undefined;
  }
  if (single) {
    const f = cmd.files[0]!;
    const data = f.chomp ? chompHeredocContent(f.data) : f.data;
    if (data.startsWith('#!'))
      return {
        argv: commandArgv({ cmdLine: [`/dev/pipes/${f.name}`], prependShell: true }, shell),
        scriptFile: { ...f, data },
      };
    return { argv: commandArgv({ cmdLine: [data], prependShell: true }, shell) };
  }
  let joined = line;
  for (const f of cmd.files) joined += '\n' + f.data + f.name;
  return { argv: commandArgv({ cmdLine: [joined], prependShell: true }, shell) };
}

/** WORKDIR as BuildKit stores it: relative paths join the current one; always clean and absolute. */
export function normalizeWorkdir(current: string, requested: string): string {
  const joined = requested.startsWith('/') ? requested : `${current || '/'}/${requested}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** `%q` of a []string: `["a" "b"]`. */
function goQuoteSlice(list: readonly string[]): string {
  return '[' + list.map(goQuote).join(' ') + ']';
}

/** `%v` of a []string: `[a b]`. */
function goSlice(list: readonly string[]): string {
  return '[' + list.join(' ') + ']';
}

/** `%+v` of the healthcheck config, as BuildKit writes it into history. */
export function healthcheckHistory(h: HealthConfig): string {
  return (
    `HEALTHCHECK {Test:${goSlice(h.test)} Interval:${formatGoDuration(h.interval)} Timeout:${formatGoDuration(h.timeout)} ` +
    `StartPeriod:${formatGoDuration(h.startPeriod)} StartInterval:${formatGoDuration(h.startInterval)} Retries:${h.retries}}`
  );
}

export interface HistoryContext {
  /** The image config's Shell when set (SHELL instruction or base image); default /bin/sh -c. */
  shell?: readonly string[];
  /** WorkingDir before this command (for WORKDIR). */
  workdir?: string;
  /**
   * The ARGs declared so far in the stage, in order, with their current values (for RUN's
   * `|N K=v ...` prefix); proxy args are left out automatically.
   */
  buildArgs?: ReadonlyArray<{ key: string; value: string }>;
  /** ARG values resolved for this ARG command, in its order (for `ARG K=v`). */
  argValues?: ReadonlyArray<{ key: string; value?: string }>;
}

function runPrefix(args: ReadonlyArray<{ key: string; value: string }>): string[] {
  const order: string[] = [];
  const values = new Map<string, string>();
  for (const a of args) {
    if (PROXY_ARGS.includes(a.key)) continue;
    if (!values.has(a.key)) order.push(a.key);
    values.set(a.key, a.value);
  }
  if (order.length === 0) return [];
  return [`|${order.length}`, ...order.map((k) => `${k}=${values.get(k)}`)];
}

/**
 * The history `created_by` BuildKit writes for an expanded command, or undefined for commands that
 * write no history (FROM, ONBUILD).
 */
export function createdBy(cmd: Command, ctx: HistoryContext = {}): string | undefined {
  switch (cmd.kind) {
    case 'FROM':
    case 'ONBUILD':
      return undefined;
    case 'RUN': {
      const { argv } = runArgv(cmd, ctx.shell);
      return 'RUN ' + [...runPrefix(ctx.buildArgs ?? []), ...argv].join(' ') + ' # buildkit';
    }
    case 'CMD':
      return 'CMD ' + goQuoteSlice(commandArgv(cmd, ctx.shell));
    case 'ENTRYPOINT':
      return 'ENTRYPOINT ' + goQuoteSlice(commandArgv(cmd, ctx.shell));
    case 'ENV':
      return 'ENV' + cmd.env.map((kv) => ` ${kv.key}=${kv.value}`).join('');
    case 'LABEL':
      return 'LABEL' + cmd.labels.map((kv) => ` ${kv.key}=${kv.value}`).join('');
    case 'MAINTAINER':
      return 'MAINTAINER ' + cmd.maintainer;
    case 'EXPOSE':
      return 'EXPOSE ' + goSlice(parsePortSpecs(cmd.ports));
    case 'VOLUME':
      return 'VOLUME ' + goSlice(cmd.volumes);
    case 'USER':
      return 'USER ' + cmd.user;
    case 'WORKDIR':
      return 'WORKDIR ' + normalizeWorkdir(ctx.workdir ?? '/', cmd.path);
    case 'STOPSIGNAL':
      return 'STOPSIGNAL ' + cmd.signal;
    case 'SHELL':
      return 'SHELL ' + goSlice(cmd.shell);
    case 'HEALTHCHECK':
      return healthcheckHistory(cmd.health);
    case 'ARG': {
      const vals = ctx.argValues ?? cmd.args;
      return 'ARG ' + vals.map((a) => (a.value === undefined ? a.key : `${a.key}=${a.value}`)).join(' ');
    }
    case 'COPY':
    case 'ADD': {
      let s = cmd.kind;
      if (cmd.kind === 'COPY' && cmd.parents) s += ' --parents';
      if (cmd.chown !== undefined) s += ' --chown=' + cmd.chown;
      if (cmd.chmod !== undefined) s += ' --chmod=' + cmd.chmod;
      for (const src of cmd.sources) s += ' ' + src;
      for (const f of cmd.sourceContents) s += ' <<' + f.name;
      return s + ' ' + cmd.dest + ' # buildkit';
    }
  }
}

/** Whether BuildKit records a layer (history entry without empty_layer) for the command. */
export function createsLayer(cmd: Command, workdirBefore = '/'): boolean {
  if (cmd.kind === 'RUN' || cmd.kind === 'COPY' || cmd.kind === 'ADD') return true;
  if (cmd.kind === 'WORKDIR') return normalizeWorkdir(workdirBefore, cmd.path) !== '/';
  return false;
}

const SIGNALS = [
  'ABRT',
  'ALRM',
  'BUS',
  'CHLD',
  'CLD',
  'CONT',
  'FPE',
  'HUP',
  'ILL',
  'INT',
  'IO',
  'IOT',
  'KILL',
  'PIPE',
  'POLL',
  'PROF',
  'PWR',
  'QUIT',
  'SEGV',
  'STKFLT',
  'STOP',
  'SYS',
  'TERM',
  'TRAP',
  'TSTP',
  'TTIN',
  'TTOU',
  'UNUSED',
  'URG',
  'USR1',
  'USR2',
  'VTALRM',
  'WINCH',
  'XCPU',
  'XFSZ',
  'RTMIN',
  'RTMAX',
];

/** Whether STOPSIGNAL's value is a signal number or a known name (`SIGTERM`, `TERM`, `RTMIN+3`). */
export function isValidSignal(sig: string): boolean {
  if (/^[0-9]+$/.test(sig)) return Number(sig) > 0 && Number(sig) <= 64;
  const name = sig.toUpperCase().replace(/^SIG/, '');
  const rt = /^RTM(IN|AX)([+-](\d+))?$/.exec(name);
  if (rt) return rt[2] === undefined || Number(rt[3]) <= 15;
  return SIGNALS.includes(name);
}
