// Dockerfile text -> AST, the way BuildKit's parser reads it: parser directives at the top, line
// continuations with the escape character, comments and blank lines inside continuations, builder
// flags, heredocs, and per-instruction argument shapes (JSON array detection, KEY=value pairs).
import { DockerfileError, type DockerfileWarning, ExpansionError } from './errors.ts';
import { expandWords } from './expansion.ts';

export interface Heredoc {
  /** The delimiter word with quotes removed (`EOF`). */
  name: string;
  /** The body, each line with its line ending, without the terminator line. */
  content: string;
  /** False when any part of the delimiter was quoted (`<<"EOF"`, `<<'EOF'`): no expansion. */
  expand: boolean;
  /** `<<-EOF`: leading tabs are stripped from body lines. */
  chomp: boolean;
  /** `3<<EOF` redirects file descriptor 3 (0 when not given). */
  fileDescriptor: number;
}

export interface KeyValueNode {
  key: string;
  value: string;
  /** Written in the legacy `KEY value` form (no `=`). */
  noDelim: boolean;
}

export interface Node {
  /** The instruction keyword, lowercased (`run`); unknown keywords are kept for the error. */
  instruction: string;
  /** The keyword as written (`Run`). */
  keyword: string;
  /** The whole logical line, continuations joined (BuildKit's Node.Original). */
  original: string;
  /** Builder flags as written before the arguments (`--from=build`). */
  flags: string[];
  /** Arguments, shaped per instruction (see parseArgs). */
  args: string[];
  /** The arguments were a JSON array (exec form). */
  json: boolean;
  /** ENV and LABEL pairs. */
  keyValues: KeyValueNode[];
  heredocs: Heredoc[];
  /** 1-based first and last line (the last line includes heredoc bodies). */
  startLine: number;
  endLine: number;
  /** Comment lines directly above the instruction, without `#`. */
  comments: string[];
  /** ONBUILD's trigger instruction. */
  sub?: Node;
}

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface ParsedDockerfile {
  file: string;
  /** `\` or the backtick chosen by `# escape=`. */
  escapeToken: string;
  directives: Directive[];
  /** The `# syntax=` value when given (always docker/dockerfile: served by this frontend). */
  syntax?: string;
  /** The `# check=` value when given. */
  check?: string;
  nodes: Node[];
  /** Total number of lines, for callers validating line numbers. */
  lineCount: number;
  warnings: DockerfileWarning[];
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const DOCKERFILE_FRONTEND =
  /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?(?::[\w][\w.-]*)?(?:@sha256:[a-f0-9]{64})?$/;
const WHITESPACE_SPLIT = /[\t\v\f\r ]+/;
const HEREDOC_WORD = /^(\d*)<<(-?)\s*([^<]*)$/;

const UNICODE_SPACE = /\s/u;
function isSpaceCode(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    (c > 0xff && UNICODE_SPACE.test(String.fromCharCode(c)))
  );
}

function trimLeft(s: string): string {
  let i = 0;
  while (i < s.length && isSpaceCode(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

function trimRight(s: string): string {
  let i = s.length;
  while (i > 0 && isSpaceCode(s.charCodeAt(i - 1))) i--;
  return i === s.length ? s : s.slice(0, i);
}

function trimSpace(s: string): string {
  return trimRight(trimLeft(s));
}

class Directives {
  escapeToken = '\\';
  done = false;
  readonly seen: Directive[] = [];
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  parseLine(line: string, lineNo: number): void {
    if (this.done) return;
    const m = DIRECTIVE.exec(line);
    if (!m) {
      this.done = true;
      return;
    }
    const name = m[1]!.toLowerCase();
    const value = m[2]!;
    if (!KNOWN_DIRECTIVES.has(name)) {
      this.done = true;
      return;
    }
    if (this.seen.some((d) => d.name === name))
      throw new DockerfileError(this.file, lineNo, `only one ${name} parser directive can be used`);
    this.seen.push({ name, value, line: lineNo });
    if (name === 'escape') {
      if (value !== '\\' && value !== '`')
        throw new DockerfileError(
          this.file,
          lineNo,
          `invalid escape token '${value}' does not match \` or \\`,
        );
      this.escapeToken = value;
    }
    // Like BuildKit, only the first word names the frontend image (the rest are its options).
    const image = value.split(' ')[0]!;
    if (name === 'syntax' && !DOCKERFILE_FRONTEND.test(image)) {
      throw new DockerfileError(
        this.file,
        lineNo,
        `unsupported frontend "${image}": only docker/dockerfile syntax is built in and no other frontend image is run`,
      );
    }
  }

  /** Whether the last trimContinuation call found the end of the logical line. */
  ended = true;

  /**
   * Strips a trailing escape character (plus spaces and tabs) and sets `ended`. As in BuildKit, an
   * escape preceded by another escape (`\\\\` at the end) is an escaped escape, not a continuation.
   */
  trimContinuation(line: string): string {
    let j = line.length;
    while (j > 0) {
      const c = line.charCodeAt(j - 1);
      if (c !== 32 && c !== 9) break;
      j--;
    }
    if (j > 0 && line[j - 1] === this.escapeToken && (j === 1 || line[j - 2] !== this.escapeToken)) {
      this.ended = false;
      return line.slice(0, j - 1);
    }
    this.ended = true;
    return line;
  }
}

/** Line boundaries of a text, so lines are cut only when used (no copy of the whole file). */
class Lines {
  readonly text: string;
  /** starts[i] is where 0-based line i begins; starts[count] is text.length. */
  private readonly starts: number[] = [];
  readonly count: number;

  constructor(text: string) {
    this.text = text;
    let start = 0;
    while (start < text.length) {
      this.starts.push(start);
      const nl = text.indexOf('\n', start);
      start = nl < 0 ? text.length : nl + 1;
    }
    this.count = this.starts.length;
    this.starts.push(text.length);
  }

  /** 0-based line i without its line ending (all trailing `\r` and `\n`, as Go's TrimRight). */
  line(i: number): string {
    const start = this.starts[i]!;
    let end = this.starts[i + 1]!;
    while (end > start) {
      const c = this.text.charCodeAt(end - 1);
      if (c !== 10 && c !== 13) break;
      end--;
    }
    return this.text.slice(start, end);
  }

  /** 0-based line i with its line ending (heredoc bodies keep them). */
  raw(i: number): string {
    return this.text.slice(this.starts[i]!, this.starts[i + 1]!);
  }
}

/** Parses a Dockerfile. Errors are DockerfileError with the file and line. */
export function parseDockerfile(text: string, file = 'Dockerfile'): ParsedDockerfile {
  const lines = new Lines(text);
  const d = new Directives(file);
  const nodes: Node[] = [];
  const warnings: DockerfileWarning[] = [];
  let comments: string[] = [];
  let i = 0;
  while (i < lines.count) {
    let raw = lines.line(i);
    i++;
    if (i === 1 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    const lineNo = i;
    let token = trimLeft(raw);
    const comment = token.charCodeAt(0) === 35; // '#'
    if (comment) {
      const c = trimSpace(token.slice(1));
      if (c === '') comments = [];
      else comments.push(c);
    }
    d.parseLine(token, lineNo);
    if (comment) token = '';
    let line = d.trimContinuation(token);
    let ended = d.ended;
    if (ended && line.length === 0) continue;
    let emptyContinuation = false;
    while (!ended && i < lines.count) {
      const next = lines.line(i);
      i++;
      d.parseLine(next, i);
      const left = trimLeft(next);
      if (left.charCodeAt(0) === 35) continue;
      if (left.length === 0) {
        emptyContinuation = true;
        continue;
      }
      line += d.trimContinuation(next);
      ended = d.ended;
    }
    if (emptyContinuation)
      warnings.push({ file, line: lineNo, message: 'Empty continuation line found in: ' + trimSpace(line) });
    const node = nodeFromLine(line, d.escapeToken, file, lineNo, comments);
    if (line.includes('<<') && canContainHeredoc(node)) {
      const docs = heredocsFromLine(line, file, lineNo);
      for (const doc of docs) {
        let terminated = false;
        while (i < lines.count) {
          let candidate = lines.line(i);
          if (doc.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === doc.name) {
            i++;
            terminated = true;
            break;
          }
          doc.content += lines.raw(i);
          i++;
        }
        if (!terminated) throw new DockerfileError(file, lineNo, `unterminated heredoc "${doc.name}"`);
      }
      const target = node.sub ?? node;
      target.heredocs = docs;
    }
    node.endLine = i;
    if (node.sub) node.sub.endLine = i;
    nodes.push(node);
    comments = [];
  }
  const directives = d.seen;
  return {
    file,
    escapeToken: d.escapeToken,
    directives,
    syntax: directives.find((x) => x.name === 'syntax')?.value,
    check: directives.find((x) => x.name === 'check')?.value,
    nodes,
    lineCount: lines.count,
    warnings,
  };
}

function canContainHeredoc(node: Node): boolean {
  const n = node.instruction === 'onbuild' && node.sub ? node.sub : node;
  if (n.instruction !== 'run' && n.instruction !== 'copy' && n.instruction !== 'add') return false;
  return !n.json;
}

/** Builds a node from one logical line (also used for ONBUILD triggers). */
function nodeFromLine(
  line: string,
  escapeToken: string,
  file: string,
  lineNo: number,
  comments: string[],
): Node {
  const trimmed = trimSpace(line);
  const m = WHITESPACE_SPLIT.exec(trimmed);
  const keyword = m ? trimmed.slice(0, m.index) : trimmed;
  let rest = m ? trimmed.slice(m.index + m[0].length) : '';
  let flags: string[] = [];
  if (m) [rest, flags] = extractBuilderFlags(rest);
  rest = trimSpace(rest);
  const node: Node = {
    instruction: keyword.toLowerCase(),
    keyword,
    original: line,
    flags,
    args: [],
    json: false,
    keyValues: [],
    heredocs: [],
    startLine: lineNo,
    endLine: lineNo,
    comments,
  };
  try {
    parseArgs(node, rest, escapeToken, file, lineNo);
  } catch (e) {
    if (e instanceof ParseArgsError) throw new DockerfileError(file, lineNo, e.message);
    throw e;
  }
  return node;
}

class ParseArgsError extends Error {}

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

function parseArgs(node: Node, rest: string, escapeToken: string, file: string, lineNo: number): void {
  switch (node.instruction) {
    case 'add':
    case 'copy':
    case 'volume':
      maybeJSONToList(node, rest);
      return;
    case 'arg':
      node.args = parseWords(rest, escapeToken);
      return;
    case 'cmd':
    case 'entrypoint':
    case 'run':
    case 'shell':
      maybeJSON(node, rest);
      return;
    case 'env':
    case 'label':
      node.keyValues = parseNameVal(rest, node.instruction.toUpperCase(), escapeToken);
      return;
    case 'expose':
    case 'from':
      node.args = rest === '' ? [] : rest.split(WHITESPACE_SPLIT);
      return;
    case 'healthcheck': {
      let sep = 0;
      while (sep < rest.length && !isSpaceCode(rest.charCodeAt(sep))) sep++;
      if (sep === 0) return;
      let next = sep;
      while (next < rest.length && isSpaceCode(rest.charCodeAt(next))) next++;
      maybeJSON(node, rest.slice(next));
      node.args.unshift(rest.slice(0, sep));
      return;
    }
    case 'maintainer':
    case 'stopsignal':
    case 'user':
    case 'workdir':
      if (rest !== '') node.args = [rest];
      return;
    case 'onbuild':
      if (rest !== '') {
        node.sub = nodeFromLine(rest, escapeToken, file, lineNo, []);
        node.args = [node.sub.keyword];
      }
      return;
    default:
      return;
  }
}

/** JSON.parse result when rest is a JSON array of strings; null when it is not JSON at all. */
function parseJSONArray(rest: string): string[] | null {
  const t = trimLeft(rest);
  if (!t.startsWith('[')) return null;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return null;
  }
  if (!Array.isArray(v)) return null;
  for (const s of v) if (typeof s !== 'string') throw new ParseArgsError(NOT_STRING_ARRAY);
  return v as string[];
}

function maybeJSON(node: Node, rest: string): void {
  if (rest === '') return;
  const arr = parseJSONArray(rest);
  if (arr) {
    node.args = arr;
    node.json = true;
    return;
  }
  node.args = [rest];
}

function maybeJSONToList(node: Node, rest: string): void {
  const arr = parseJSONArray(rest);
  if (arr) {
    node.args = arr;
    node.json = true;
    return;
  }
  node.args = rest === '' ? [] : rest.split(WHITESPACE_SPLIT);
}

/** Reads leading `--flag[=value]` words (quotes and backslashes honoured); returns the rest and the flags. */
export function extractBuilderFlags(line: string): [string, string[]] {
  const words: string[] = [];
  const IN_SPACES = 0;
  const IN_WORD = 1;
  const IN_QUOTE = 2;
  let phase = IN_SPACES;
  let word = '';
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos <= line.length; pos++) {
    let ch = pos < line.length ? line[pos]! : '';
    if (phase === IN_SPACES) {
      if (pos === line.length) break;
      if (isSpaceCode(line.charCodeAt(pos))) continue;
      if (ch !== '-' || pos + 1 === line.length || line[pos + 1] !== '-') return [line.slice(pos), words];
      phase = IN_WORD;
    }
    if (pos === line.length) {
      if (word !== '--' && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === IN_WORD) {
      if (isSpaceCode(line.charCodeAt(pos))) {
        phase = IN_SPACES;
        if (word === '--') return [line.slice(pos), words];
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = IN_QUOTE;
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === line.length) continue;
        pos++;
        ch = line[pos]!;
      }
      word += ch;
      continue;
    }
    // IN_QUOTE
    if (ch === quote) {
      phase = IN_WORD;
      continue;
    }
    if (ch === '\\') {
      if (pos + 1 === line.length) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      ch = line[pos]!;
    }
    word += ch;
  }
  return ['', words];
}

/** Splits on whitespace outside quotes, keeping quotes and escapes in the words (for ARG, ENV, LABEL). */
export function parseWords(rest: string, escapeToken: string): string[] {
  const words: string[] = [];
  const IN_SPACES = 0;
  const IN_WORD = 1;
  const IN_QUOTE = 2;
  let phase = IN_SPACES;
  let word = '';
  let quote = '';
  let blankOK = false;
  // Code units are enough: quotes, escapes and spaces are never surrogate halves.
  const chars = rest;
  for (let pos = 0; pos <= chars.length; pos++) {
    let ch = pos < chars.length ? chars[pos]! : '';
    if (phase === IN_SPACES) {
      if (pos === chars.length) break;
      if (isSpaceCode(ch.charCodeAt(0))) continue;
      phase = IN_WORD;
    }
    if (pos === chars.length) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === IN_WORD) {
      if (isSpaceCode(ch.charCodeAt(0))) {
        phase = IN_SPACES;
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = IN_QUOTE;
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue;
        word += ch;
        pos++;
        ch = chars[pos]!;
      }
      word += ch;
      continue;
    }
    // IN_QUOTE
    if (ch === quote) phase = IN_WORD;
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      word += ch;
      ch = chars[pos]!;
    }
    word += ch;
  }
  return words;
}

function parseNameVal(rest: string, key: string, escapeToken: string): KeyValueNode[] {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return [];
  if (!words[0]!.includes('=')) {
    const m = WHITESPACE_SPLIT.exec(rest);
    if (!m) throw new ParseArgsError(`${key} must have two arguments`);
    return [{ key: rest.slice(0, m.index), value: rest.slice(m.index + m[0].length), noDelim: true }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0)
      throw new ParseArgsError(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return { key: w.slice(0, eq), value: w.slice(eq + 1), noDelim: false };
  });
}

/** Recognises a heredoc word (`<<EOF`, `<<-"EOF"`, `3<<EOF`) as BuildKit does; undefined otherwise. */
export function parseHeredocWord(word: string): Omit<Heredoc, 'content'> | undefined {
  const m = HEREDOC_WORD.exec(word);
  if (!m) return undefined;
  const rest = m[3]!;
  if (rest.length === 0) return undefined;
  const none = () => undefined;
  const words = expandWords(rest, none, { skipUnsetEnv: true });
  if (words.length !== 1) return undefined;
  const raw = expandWords(rest, none, { skipUnsetEnv: true, rawQuotes: true });
  if (raw.length !== 1)
    throw new ExpansionError(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  const name = words[0]!;
  const count = (s: string) => s.split("'").length + s.split('"').length - 2;
  return {
    name,
    expand: count(name) === count(raw[0]!),
    chomp: m[2] === '-',
    fileDescriptor: m[1] ? Number.parseInt(m[1], 10) : 0,
  };
}

function heredocsFromLine(line: string, file: string, lineNo: number): Heredoc[] {
  let words: string[];
  try {
    words = expandWords(line, () => undefined, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  } catch {
    return [];
  }
  const docs: Heredoc[] = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    // BuildKit >= 0.22 accepts a space after `<<` (`cat << EOF`): the name is the next word.
    if (/^\d*<<$/.test(w) && i + 1 < words.length) w += words[++i]!;
    let h: Omit<Heredoc, 'content'> | undefined;
    try {
      h = parseHeredocWord(w);
    } catch (e) {
      if (e instanceof ExpansionError) throw new DockerfileError(file, lineNo, e.message);
      throw e;
    }
    if (h) docs.push({ ...h, content: '' });
  }
  return docs;
}

/** Removes leading tabs from every line of a `<<-` heredoc body. */
export function chompHeredocContent(content: string): string {
  return content.replace(/^\t+/gm, '');
}
