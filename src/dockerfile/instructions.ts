// AST nodes -> typed commands (a discriminated union on `kind`), flags parsed and validated, words
// kept exactly as written: expansion happens later (expandCommand) with the environment of the
// stage at the moment the command runs.
import { formatGoDuration, parseGoDuration } from './duration.ts';
import { DockerfileError, type DockerfileWarning, suggest } from './errors.ts';
import { FlagError, type FlagType, type ParsedFlags, parseFlags } from './flags.ts';
import { MountError, parseMount, type RunMount } from './mounts.ts';
import {
  chompHeredocContent,
  type Heredoc,
  type Node,
  type ParsedDockerfile,
  parseHeredocWord,
} from './parser.ts';

export interface CommandBase {
  /** 1-based line where the instruction starts; endLine is its last line (heredocs included). */
  line: number;
  endLine: number;
  /** The instruction as written, continuations joined and trimmed (BuildKit's String()). */
  original: string;
}

export interface KeyValue {
  key: string;
  value: string;
  /** Legacy `ENV key value` form. */
  noDelim: boolean;
}

export interface ArgDef {
  key: string;
  /** Default as written (unexpanded); undefined for `ARG NAME`. */
  value?: string;
}

/** A heredoc used as a file: COPY/ADD sources and RUN's inline scripts. */
export interface InlineFile {
  /** The heredoc delimiter, used as the file name. */
  name: string;
  /** The body (for `<<-` already stripped of leading tabs). */
  data: string;
  /** Whether the body undergoes expansion (delimiter unquoted). COPY/ADD only. */
  expand: boolean;
  chomp: boolean;
}

export interface FromCommand extends CommandBase {
  kind: 'FROM';
  image: string;
  /** Lowercased stage name from `AS name`. */
  stageName?: string;
  platform?: string;
}

export interface ShellDependent {
  /** Exec form: the argv; shell form: one string (heredoc commands as written, `<<EOF` included). */
  cmdLine: string[];
  /** Shell form: SHELL (default /bin/sh -c) is put in front. */
  prependShell: boolean;
}

export interface RunCommand extends CommandBase, ShellDependent {
  kind: 'RUN';
  /** Heredoc bodies of a shell-form RUN (not expanded by the frontend; the shell does it). */
  files: InlineFile[];
  /** --mount values as written; `mounts` is their parsed form (re-parsed after expansion). */
  mountSpecs: string[];
  mounts: RunMount[];
  network?: 'default' | 'none' | 'host';
  security?: 'sandbox' | 'insecure';
}

export interface CmdCommand extends CommandBase, ShellDependent {
  kind: 'CMD';
}

export interface EntrypointCommand extends CommandBase, ShellDependent {
  kind: 'ENTRYPOINT';
}

export interface LabelCommand extends CommandBase {
  kind: 'LABEL';
  labels: KeyValue[];
}

export interface MaintainerCommand extends CommandBase {
  kind: 'MAINTAINER';
  maintainer: string;
}

export interface ExposeCommand extends CommandBase {
  kind: 'EXPOSE';
  ports: string[];
}

export interface EnvCommand extends CommandBase {
  kind: 'ENV';
  env: KeyValue[];
}

interface CopyLike extends CommandBase {
  /** Paths, URLs or git refs as written. */
  sources: string[];
  /** Heredoc sources (`COPY <<EOF /dst`). */
  sourceContents: InlineFile[];
  dest: string;
  chown?: string;
  chmod?: string;
  link: boolean;
  exclude: string[];
  /** Arguments were a JSON array. */
  json: boolean;
}

export interface AddCommand extends CopyLike {
  kind: 'ADD';
  keepGitDir?: boolean;
  checksum?: string;
  unpack?: boolean;
}

export interface CopyCommand extends CopyLike {
  kind: 'COPY';
  /** Stage name, stage index or image reference. */
  from?: string;
  parents: boolean;
}

export interface VolumeCommand extends CommandBase {
  kind: 'VOLUME';
  volumes: string[];
}

export interface UserCommand extends CommandBase {
  kind: 'USER';
  user: string;
}

export interface WorkdirCommand extends CommandBase {
  kind: 'WORKDIR';
  path: string;
}

export interface ArgCommand extends CommandBase {
  kind: 'ARG';
  args: ArgDef[];
}

export interface OnbuildCommand extends CommandBase {
  kind: 'ONBUILD';
  /** The trigger text stored in the image config's OnBuild (heredoc bodies appended). */
  expression: string;
}

export interface StopsignalCommand extends CommandBase {
  kind: 'STOPSIGNAL';
  signal: string;
}

export interface HealthConfig {
  /** `["NONE"]`, `["CMD", ...argv]` or `["CMD-SHELL", command]`. */
  test: string[];
  /** Nanoseconds; 0 = inherit the default. */
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export interface HealthcheckCommand extends CommandBase {
  kind: 'HEALTHCHECK';
  health: HealthConfig;
}

export interface ShellCommand extends CommandBase {
  kind: 'SHELL';
  shell: string[];
}

export type Command =
  | FromCommand
  | RunCommand
  | CmdCommand
  | EntrypointCommand
  | LabelCommand
  | MaintainerCommand
  | ExposeCommand
  | EnvCommand
  | AddCommand
  | CopyCommand
  | VolumeCommand
  | UserCommand
  | WorkdirCommand
  | ArgCommand
  | OnbuildCommand
  | StopsignalCommand
  | HealthcheckCommand
  | ShellCommand;

export type CommandKind = Command['kind'];

/** Every instruction keyword, for "did you mean" hints. */
export const INSTRUCTIONS: readonly CommandKind[] = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
];

/** A problem with one instruction; parseCommand turns it into a DockerfileError with the node's line. */
class InstructionError extends Error {}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function atLeastOne(name: string): InstructionError {
  return new InstructionError(`${name} requires at least one argument`);
}

function exactlyOne(name: string): InstructionError {
  return new InstructionError(`${name} requires exactly one argument`);
}

function flagsOf(node: Node, allowed: Record<string, FlagType>): ParsedFlags {
  try {
    return parseFlags(node.flags, allowed);
  } catch (e) {
    if (e instanceof FlagError) throw new InstructionError(e.message);
    throw e;
  }
}

function shellDependent(node: Node, emptyAsNil: boolean): ShellDependent {
  const args = node.args;
  let cmdLine: string[];
  if (args.length === 0) cmdLine = [];
  else if (node.json) cmdLine = [...args];
  else cmdLine = [args.join(' ')];
  if (emptyAsNil && cmdLine.length === 0) cmdLine = [];
  return { cmdLine, prependShell: !node.json };
}

function keyValues(node: Node, name: string): KeyValue[] {
  if (node.keyValues.length === 0) throw atLeastOne(name);
  for (const kv of node.keyValues)
    if (kv.key === '') throw new InstructionError(`${name} names can not be blank`);
  return node.keyValues.map((kv) => ({ key: kv.key, value: kv.value, noDelim: kv.noDelim }));
}

function parseDurationFlag(name: string, value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const d = parseGoDuration(value);
  if (d === undefined) throw new InstructionError(`time: invalid duration "${value}"`);
  if (d === 0) return 0;
  if (d < 1e6) throw new InstructionError(`Interval "${name}" cannot be less than ${formatGoDuration(1e6)}`);
  return d;
}

function copyLike(node: Node, name: 'COPY' | 'ADD'): Omit<CopyLike, 'line' | 'endLine' | 'original'> {
  if (node.args.length < 2)
    throw new InstructionError(
      `${name} requires at least two arguments, but only one was provided. Destination could not be determined`,
    );
  const dest = node.args[node.args.length - 1]!;
  if (parseHeredocWordSafe(dest))
    throw new InstructionError(`${name} cannot accept a heredoc as a destination`);
  const sources: string[] = [];
  const sourceContents: InlineFile[] = [];
  const srcs = node.args.slice(0, -1);
  if (node.heredocs.length === 0) sources.push(...srcs);
  else {
    const byName = new Map<string, Heredoc>(node.heredocs.map((h) => [h.name, h]));
    for (const src of srcs) {
      const h = parseHeredocWordSafe(src);
      if (!h) {
        sources.push(src);
        continue;
      }
      const content = byName.get(h.name)?.content ?? '';
      sourceContents.push({
        name: h.name,
        data: h.chomp ? chompHeredocContent(content) : content,
        expand: h.expand,
        chomp: h.chomp,
      });
    }
  }
  return { sources, sourceContents, dest, link: false, exclude: [], json: node.json };
}

function parseHeredocWordSafe(word: string): ReturnType<typeof parseHeredocWord> {
  try {
    return parseHeredocWord(word);
  } catch (e) {
    throw new InstructionError((e as Error).message);
  }
}

function parseHealthcheck(node: Node): HealthConfig {
  if (node.args.length === 0) throw atLeastOne('HEALTHCHECK');
  let typ = node.args[0]!.toUpperCase();
  const args = node.args.slice(1);
  const empty: HealthConfig = {
    test: [],
    interval: 0,
    timeout: 0,
    startPeriod: 0,
    startInterval: 0,
    retries: 0,
  };
  if (typ === 'NONE') {
    if (args.length !== 0) throw new InstructionError('HEALTHCHECK NONE takes no arguments');
    return { ...empty, test: ['NONE'] };
  }
  const f = flagsOf(node, {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    'start-interval': 'string',
    retries: 'string',
  });
  if (typ !== 'CMD') throw new InstructionError(`Unknown type "${typ}" in HEALTHCHECK (try CMD)`);
  const cmdSlice = args.length === 0 ? [] : node.json ? args : [args.join(' ')];
  if (cmdSlice.length === 0) throw new InstructionError('Missing command after HEALTHCHECK CMD');
  if (!node.json) typ = 'CMD-SHELL';
  let retries = 0;
  const r = f.strings.get('retries');
  if (r !== undefined && r !== '') {
    if (!/^[+-]?\d+$/.test(r) || Math.abs(Number(r)) > 2 ** 31 - 1)
      throw new InstructionError(`strconv.ParseInt: parsing "${r}": invalid syntax`);
    retries = Number(r);
    if (retries < 0) throw new InstructionError(`--retries cannot be negative (${retries})`);
  }
  return {
    test: [typ, ...cmdSlice],
    interval: parseDurationFlag('interval', f.strings.get('interval')),
    timeout: parseDurationFlag('timeout', f.strings.get('timeout')),
    startPeriod: parseDurationFlag('start-period', f.strings.get('start-period')),
    startInterval: parseDurationFlag('start-interval', f.strings.get('start-interval')),
    retries,
  };
}

function parseRun(node: Node, base: CommandBase): RunCommand {
  const f = flagsOf(node, { mount: 'strings', network: 'string', security: 'string' });
  const mountSpecs = f.lists.get('mount') ?? [];
  const mounts: RunMount[] = [];
  for (const spec of mountSpecs) {
    try {
      mounts.push(parseMount(spec));
    } catch (e) {
      if (e instanceof MountError) throw new InstructionError(e.message);
      throw e;
    }
  }
  const network = f.strings.get('network');
  if (network !== undefined && network !== 'default' && network !== 'none' && network !== 'host')
    throw new InstructionError(`unsupported network mode "${network}"`);
  const security = f.strings.get('security');
  if (security !== undefined && security !== 'sandbox' && security !== 'insecure')
    throw new InstructionError(`unsupported security mode "${security}"`);
  // An empty RUN is accepted, as BuildKit does: the shell runs an empty command.
  const sd = shellDependent(node, false);
  const files: InlineFile[] = node.heredocs.map((h) => ({
    name: h.name,
    data: h.content,
    expand: h.expand,
    chomp: h.chomp,
  }));
  const cmd: RunCommand = { kind: 'RUN', ...base, ...sd, files, mountSpecs, mounts };
  if (network !== undefined) cmd.network = network;
  if (security !== undefined) cmd.security = security;
  return cmd;
}

function noFlags(node: Node): void {
  flagsOf(node, {});
}

function parseNode(node: Node): Command {
  const base: CommandBase = { line: node.startLine, endLine: node.endLine, original: node.original.trim() };
  switch (node.instruction) {
    case 'from': {
      const f = flagsOf(node, { platform: 'string' });
      const a = node.args;
      let stageName: string | undefined;
      if (a.length === 3 && a[1]!.toLowerCase() === 'as') {
        stageName = a[2]!.toLowerCase();
        if (!STAGE_NAME.test(stageName))
          throw new InstructionError(
            `invalid name for build stage: "${a[2]}", name can't start with a number or contain symbols`,
          );
      } else if (a.length !== 1) throw new InstructionError('FROM requires either one or three arguments');
      const cmd: FromCommand = { kind: 'FROM', ...base, image: a[0]! };
      if (stageName !== undefined) cmd.stageName = stageName;
      const p = f.strings.get('platform');
      if (p !== undefined && p !== '') cmd.platform = p;
      return cmd;
    }
    case 'run':
      return parseRun(node, base);
    case 'cmd':
      noFlags(node);
      return { kind: 'CMD', ...base, ...shellDependent(node, true) };
    case 'entrypoint':
      noFlags(node);
      return { kind: 'ENTRYPOINT', ...base, ...shellDependent(node, true) };
    case 'label':
      noFlags(node);
      return { kind: 'LABEL', ...base, labels: keyValues(node, 'LABEL') };
    case 'env':
      noFlags(node);
      return { kind: 'ENV', ...base, env: keyValues(node, 'ENV') };
    case 'maintainer':
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne('MAINTAINER');
      return { kind: 'MAINTAINER', ...base, maintainer: node.args[0]! };
    case 'expose':
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne('EXPOSE');
      // BuildKit sorts the specs as written (before expansion); history and config follow that order.
      return { kind: 'EXPOSE', ...base, ports: [...node.args].sort() };
    case 'add': {
      const f = flagsOf(node, {
        chown: 'string',
        chmod: 'string',
        link: 'bool',
        'keep-git-dir': 'bool',
        checksum: 'string',
        exclude: 'strings',
        unpack: 'bool',
      });
      const cmd: AddCommand = { kind: 'ADD', ...base, ...copyLike(node, 'ADD') };
      applyCopyFlags(cmd, f);
      const keep = f.bools.get('keep-git-dir');
      if (keep !== undefined) cmd.keepGitDir = keep;
      const checksum = f.strings.get('checksum');
      if (checksum !== undefined && checksum !== '') cmd.checksum = checksum;
      const unpack = f.bools.get('unpack');
      if (unpack !== undefined) cmd.unpack = unpack;
      return cmd;
    }
    case 'copy': {
      const f = flagsOf(node, {
        from: 'string',
        chown: 'string',
        chmod: 'string',
        link: 'bool',
        parents: 'bool',
        exclude: 'strings',
      });
      const cmd: CopyCommand = {
        kind: 'COPY',
        ...base,
        ...copyLike(node, 'COPY'),
        parents: f.bools.get('parents') ?? false,
      };
      applyCopyFlags(cmd, f);
      const from = f.strings.get('from');
      if (from !== undefined && from !== '') cmd.from = from;
      return cmd;
    }
    case 'volume': {
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne('VOLUME');
      const volumes = node.args.map((v) => v.trim());
      if (volumes.some((v) => v === ''))
        throw new InstructionError('VOLUME specified can not be an empty string');
      return { kind: 'VOLUME', ...base, volumes };
    }
    case 'user':
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne('USER');
      return { kind: 'USER', ...base, user: node.args[0]! };
    case 'workdir':
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne('WORKDIR');
      return { kind: 'WORKDIR', ...base, path: node.args[0]! };
    case 'arg': {
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne('ARG');
      const args = node.args.map((w): ArgDef => {
        const eq = w.indexOf('=');
        if (eq < 0) return { key: w };
        if (eq === 0) throw new InstructionError('ARG names can not be blank');
        return { key: w.slice(0, eq), value: w.slice(eq + 1) };
      });
      return { kind: 'ARG', ...base, args };
    }
    case 'onbuild': {
      noFlags(node);
      if (!node.sub) throw atLeastOne('ONBUILD');
      const trigger = node.sub.keyword.toUpperCase();
      if (trigger === 'ONBUILD')
        throw new InstructionError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (trigger === 'MAINTAINER' || trigger === 'FROM')
        throw new InstructionError(`${trigger} isn't allowed as an ONBUILD trigger`);
      let expression = node.original.replace(/^\s*ONBUILD\s*/i, '');
      for (const h of node.sub.heredocs) expression += '\n' + h.content + h.name;
      return { kind: 'ONBUILD', ...base, expression };
    }
    case 'stopsignal':
      // BuildKit never parses STOPSIGNAL's flags: they are dropped.
      if (node.args.length !== 1) throw exactlyOne('STOPSIGNAL');
      return { kind: 'STOPSIGNAL', ...base, signal: node.args[0]! };
    case 'healthcheck':
      return { kind: 'HEALTHCHECK', ...base, health: parseHealthcheck(node) };
    case 'shell': {
      noFlags(node);
      const sd = shellDependent(node, false);
      if (sd.cmdLine.length === 0) throw atLeastOne('SHELL');
      if (!node.json) throw new InstructionError('SHELL requires the arguments to be in JSON form');
      return { kind: 'SHELL', ...base, shell: sd.cmdLine };
    }
    default: {
      const hint = suggest(node.keyword, INSTRUCTIONS);
      throw new InstructionError(
        `unknown instruction "${node.keyword.toUpperCase()}"${hint ? ` (did you mean ${hint}?)` : ''}`,
      );
    }
  }
}

function applyCopyFlags(cmd: CopyLike, f: ParsedFlags): void {
  const chown = f.strings.get('chown');
  if (chown !== undefined && chown !== '') cmd.chown = chown;
  const chmod = f.strings.get('chmod');
  if (chmod !== undefined && chmod !== '') cmd.chmod = chmod;
  cmd.link = f.bools.get('link') ?? false;
  cmd.exclude = f.lists.get('exclude') ?? [];
}

/** Turns one AST node into a typed command; errors are DockerfileError at the node's first line. */
export function parseCommand(node: Node, file: string): Command {
  try {
    return parseNode(node);
  } catch (e) {
    if (e instanceof InstructionError) throw new DockerfileError(file, node.startLine, e.message);
    throw e;
  }
}

export interface StageDef {
  from: FromCommand;
  /** Lowercased `AS` name, if any. */
  name?: string;
  index: number;
  commands: Command[];
}

export interface Instructions {
  file: string;
  escapeToken: string;
  /** ARGs before the first FROM (usable in FROM lines; visible in a stage only when redeclared). */
  metaArgs: ArgCommand[];
  stages: StageDef[];
  warnings: DockerfileWarning[];
}

/** Groups a parsed Dockerfile's commands into stages, with BuildKit's structural checks. */
export function toInstructions(df: ParsedDockerfile): Instructions {
  const metaArgs: ArgCommand[] = [];
  const stages: StageDef[] = [];
  const warnings: DockerfileWarning[] = [...df.warnings];
  for (const node of df.nodes) {
    const cmd = parseCommand(node, df.file);
    if (cmd.kind === 'MAINTAINER')
      warnings.push({
        file: df.file,
        line: cmd.line,
        message: 'Maintainer instruction is deprecated in favor of using label',
      });
    const pairs = cmd.kind === 'ENV' ? cmd.env : cmd.kind === 'LABEL' ? cmd.labels : [];
    if (pairs.some((kv) => kv.noDelim))
      warnings.push({
        file: df.file,
        line: cmd.line,
        message: `"${cmd.kind} key=value" should be used instead of legacy "${cmd.kind} key value" format`,
      });
    if (cmd.kind === 'FROM') {
      const stage: StageDef = { from: cmd, index: stages.length, commands: [] };
      if (cmd.stageName !== undefined) stage.name = cmd.stageName;
      stages.push(stage);
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) {
      if (cmd.kind === 'ARG') {
        metaArgs.push(cmd);
        continue;
      }
      throw new DockerfileError(df.file, cmd.line, 'no build stage in current context');
    }
    current.commands.push(cmd);
  }
  return { file: df.file, escapeToken: df.escapeToken, metaArgs, stages, warnings };
}
