// The shell-word lexer of BuildKit's frontend: variable expansion ($v, ${v}, ${v:-w} ... ${v//p/r}),
// quote removal and (for ProcessWords) field splitting. It is deliberately not a shell: no command
// substitution, no globbing, and unset variables expand to "" unless skipUnsetEnv is asked for.
import { ExpansionError } from './errors.ts';
import { goQuote } from './goquote.ts';

/** Looks a variable up in the environment the command runs with; undefined when unset. */
export type Lookup = (name: string) => string | undefined;

export interface LexOptions {
  /** The Dockerfile's escape character (`\` unless `# escape=` says otherwise). */
  escapeToken?: string;
  /** Keep quote characters in the result (still honouring their meaning). */
  rawQuotes?: boolean;
  /** Keep escape characters in the result. */
  rawEscapes?: boolean;
  /** Leave references to unset variables as written. */
  skipUnsetEnv?: boolean;
  /** Treat quotes as ordinary characters (heredoc bodies). */
  skipProcessQuotes?: boolean;
}

export interface LexResult {
  /** The expanded word, spaces kept. */
  word: string;
  /** The expanded word split into fields (quoted text is never split). */
  words: string[];
  /** Names that were looked up and found. */
  matched: Set<string>;
  /** Names that were looked up and not set. */
  unmatched: Set<string>;
}

const EOF = '';

const SPACE = /^[\s\u0085]$/u;

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || SPACE.test(ch);
}

const DIGIT = /^\p{Nd}$/u;
const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

class Fields {
  word = '';
  words: string[] = [];
  inWord = false;

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.word.length !== 0) {
        this.words.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else {
      this.addRaw(ch);
    }
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRaw(s: string): void {
    this.word += s;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.words;
  }
}

class Lexer {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly escape: string;
  private readonly lookup: Lookup;
  private readonly opts: LexOptions;

  constructor(word: string, lookup: Lookup, opts: LexOptions) {
    this.lookup = lookup;
    this.opts = opts;
    this.chars = Array.from(word);
    this.rawEscapes = opts.rawEscapes ?? false;
    this.escape = opts.escapeToken ?? '\\';
  }

  private peek(): string {
    return this.chars[this.pos] ?? EOF;
  }

  private next(): string {
    const ch = this.chars[this.pos] ?? EOF;
    if (ch !== EOF) this.pos++;
    return ch;
  }

  /** Reads up to stop (consumed) or the end; stop === EOF reads everything. */
  processStopOn(stop: string, rawEscapes: boolean): { word: string; words: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      let result = '';
      const fields = new Fields();
      const quotes = !this.opts.skipProcessQuotes;
      while (this.peek() !== EOF) {
        let ch = this.peek();
        if (stop !== EOF && ch === stop) {
          this.next();
          return { word: result, words: fields.finish() };
        }
        if (ch === '$') {
          const tmp = this.processDollar();
          result += tmp;
          fields.addString(tmp);
        } else if (quotes && ch === "'") {
          const tmp = this.processSingleQuote();
          result += tmp;
          fields.addRaw(tmp);
        } else if (quotes && ch === '"') {
          const tmp = this.processDoubleQuote();
          result += tmp;
          fields.addRaw(tmp);
        } else {
          ch = this.next();
          if (ch === this.escape) {
            if (this.rawEscapes) {
              fields.addRaw(ch);
              result += ch;
            }
            ch = this.next();
            if (ch === EOF) break;
            fields.addRaw(ch);
          } else {
            fields.addChar(ch);
          }
          result += ch;
        }
      }
      if (stop !== EOF)
        throw new ExpansionError(`unexpected end of statement while looking for matching ${stop}`);
      return { word: result, words: fields.finish() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    let result = '';
    let ch = this.next();
    if (this.opts.rawQuotes) result += ch;
    for (;;) {
      ch = this.next();
      if (ch === EOF)
        throw new ExpansionError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") {
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    let result = '';
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const p = this.peek();
      if (p === EOF)
        throw new ExpansionError('unexpected end of statement while looking for matching double-quote');
      if (p === '"') {
        const ch = this.next();
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      if (p === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.escape) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === EOF) continue;
        if (after === '"' || after === '$' || after === this.escape) ch = this.next();
      }
      result += ch;
    }
  }

  private get(name: string): string | undefined {
    const v = this.lookup(name);
    if (v === undefined) this.unmatched.add(name);
    else this.matched.add(name);
    return v;
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const v = this.get(name);
      if (v === undefined && this.opts.skipUnsetEnv) return '$' + name;
      return v ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new ExpansionError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':')
      throw new ExpansionError('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    // BuildKit prints the EOF rune here; the missing brace is what the user needs to hear.
    if (ch === EOF) throw new ExpansionError("syntax error: missing '}'");
    let chs = ch;
    let nullIsUnset = false;
    if (ch === '}') {
      const v = this.get(name);
      if (v === undefined && this.opts.skipUnsetEnv) return '${' + name + '}';
      return v ?? '';
    }
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.next();
      chs += ch;
    }
    if (nullIsUnset || ch === '+' || ch === '-' || ch === '?' || ch === '#' || ch === '%') {
      let word: string;
      try {
        word = this.processStopOn('}', ch === '#' || ch === '%').word;
      } catch (e) {
        if (this.peek() === EOF) throw new ExpansionError("syntax error: missing '}'");
        throw e;
      }
      const value = this.get(name);
      if (value === undefined && this.opts.skipUnsetEnv) return '${' + name + chs + word + '}';
      const isSet = value !== undefined;
      const empty = !isSet || (nullIsUnset && value === '');
      switch (ch) {
        case '-':
          return empty ? word : value!;
        case '+':
          return empty ? '' : word;
        case '?':
          if (!isSet)
            throw new ExpansionError(`${name}: ${word !== '' ? word : 'is not allowed to be unset'}`);
          if (nullIsUnset && value === '')
            throw new ExpansionError(`${name}: ${word !== '' ? word : 'is not allowed to be empty'}`);
          return value;
        case '%':
        case '#': {
          let pattern = word;
          let greedy = false;
          if (pattern.startsWith(ch)) {
            greedy = true;
            pattern = pattern.slice(1);
          }
          return ch === '%'
            ? trimSuffix(pattern, value ?? '', greedy)
            : trimPrefix(pattern, value ?? '', greedy);
        }
        default:
          throw new ExpansionError(`unsupported modifier (${printable(chs)}) in substitution`);
      }
    }
    if (ch === '/') {
      const all = this.peek() === '/';
      if (all) this.next();
      let pattern: string;
      try {
        pattern = this.processStopOn('/', true).word;
      } catch (e) {
        if (this.peek() === EOF) throw new ExpansionError("syntax error: missing '/' in $" + '{}');
        throw e;
      }
      let replacement: string;
      try {
        replacement = this.processStopOn('}', true).word;
      } catch (e) {
        if (this.peek() === EOF) throw new ExpansionError("syntax error: missing '}'");
        throw e;
      }
      const value = this.get(name);
      if (value === undefined && this.opts.skipUnsetEnv)
        return '${' + name + '/' + pattern + '/' + replacement + '}';
      const re = patternToRegex(pattern, true, false, all);
      return (value ?? '').replace(re, () => replacement);
    }
    throw new ExpansionError(`unsupported modifier (${printable(chs)}) in substitution`);
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name === '' && DIGIT.test(ch)) {
        while (this.peek() !== EOF && DIGIT.test(this.peek())) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) return this.next();
      if (!NAME_CHAR.test(ch)) break;
      name += this.next();
    }
    return name;
  }
}

/** A shell pattern (`*`, `?`, `\` escapes; no bracket expressions, as in BuildKit) as a RegExp. */
function patternToRegex(pattern: string, greedy: boolean, anchored: boolean, global = false): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  for (let i = 0; i < chars.length; i++) {
    let tok = chars[i]!;
    switch (tok) {
      case '*':
        out += greedy ? '.*' : '.*?';
        continue;
      case '?':
        out += '.';
        continue;
      case '\\': {
        const nextCh = chars[i + 1];
        if (nextCh === '}' || nextCh === '/') continue;
        out += '\\';
        i++;
        tok = chars[i] ?? '';
        if (tok !== '*' && tok !== '?' && tok !== '\\')
          throw new ExpansionError(`invalid pattern (${pattern}) in substitution: invalid escape '\\${tok}'`);
        break;
      }
      case '[':
      case ']':
      case '{':
      case '}':
      case '.':
      case '+':
      case '(':
      case ')':
      case '|':
      case '^':
      case '$':
        out += '\\';
        break;
    }
    out += tok;
  }
  return new RegExp(out, global ? 'gu' : 'u');
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = patternToRegex(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

/** Reverses a pattern keeping each `\x` escape in front of the character it escapes. */
function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = new Array(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    const tok = chars[i]!;
    const at = last - i;
    if (tok === '\\' && i !== last) {
      out[at - 1] = tok;
      out[at] = chars[i + 1]!;
      i += 2;
    } else {
      out[at] = tok;
      i++;
    }
  }
  return out.join('');
}

function reverseString(s: string): string {
  return Array.from(s).reverse().join('');
}

function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}

/** Expands a word and reports what it looked up; errors are ExpansionError with BuildKit's wording. */
export function lex(word: string, lookup: Lookup, opts: LexOptions = {}): LexResult {
  const lexer = new Lexer(word, lookup, opts);
  try {
    const r = lexer.processStopOn(EOF, opts.rawEscapes ?? false);
    return { word: r.word, words: r.words, matched: lexer.matched, unmatched: lexer.unmatched };
  } catch (e) {
    if (e instanceof ExpansionError)
      throw new ExpansionError(`failed to process ${goQuote(word)}: ${e.message}`);
    throw e;
  }
}

/** One word in, one word out (BuildKit's ProcessWord): quotes removed, spaces kept. */
export function expandWord(word: string, lookup: Lookup, opts: LexOptions = {}): string {
  return lex(word, lookup, opts).word;
}

/** One word in, fields out (BuildKit's ProcessWords): split on unquoted whitespace after expansion. */
export function expandWords(word: string, lookup: Lookup, opts: LexOptions = {}): string[] {
  return lex(word, lookup, opts).words;
}

/** A lookup over a plain record (own properties only). */
export function lookupIn(env: Record<string, string> | Map<string, string>): Lookup {
  if (env instanceof Map) return (n) => env.get(n);
  return (n) => (Object.hasOwn(env, n) ? env[n] : undefined);
}

/** Control characters as escapes, so an error about one (a newline in a heredoc) stays one line. */
function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
