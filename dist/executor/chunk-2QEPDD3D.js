const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  DockerfileError,
  ExpansionError
} from "./chunk-EOFCRA5Y.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/dockerfile/goquote.ts
function goQuote(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "	") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 11) out += "\\v";
    else if (c < 32 || c === 127) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 128 && c < 160) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

// src/dockerfile/expansion.ts
var EOF = "";
var SPACE = /^[\s\u0085]$/u;
function isSpace(ch) {
  return ch === " " || ch === "	" || SPACE.test(ch);
}
var DIGIT = new RegExp("^\\p{Nd}$", "u");
var NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;
var SPECIAL_PARAMS = /* @__PURE__ */ new Set(["@", "*", "#", "?", "-", "$", "!", "0"]);
var Fields = class {
  word = "";
  words = [];
  inWord = false;
  addChar(ch) {
    if (isSpace(ch)) {
      if (this.inWord && this.word.length !== 0) {
        this.words.push(this.word);
        this.word = "";
        this.inWord = false;
      }
    } else {
      this.addRaw(ch);
    }
  }
  addString(s) {
    for (const ch of s) this.addChar(ch);
  }
  addRaw(s) {
    this.word += s;
    this.inWord = true;
  }
  finish() {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = "";
      this.inWord = false;
    }
    return this.words;
  }
};
var Lexer = class {
  chars;
  pos = 0;
  rawEscapes;
  matched = /* @__PURE__ */ new Set();
  unmatched = /* @__PURE__ */ new Set();
  escape;
  lookup;
  opts;
  constructor(word, lookup, opts) {
    this.lookup = lookup;
    this.opts = opts;
    this.chars = Array.from(word);
    this.rawEscapes = opts.rawEscapes ?? false;
    this.escape = opts.escapeToken ?? "\\";
  }
  peek() {
    return this.chars[this.pos] ?? EOF;
  }
  next() {
    const ch = this.chars[this.pos] ?? EOF;
    if (ch !== EOF) this.pos++;
    return ch;
  }
  /** Reads up to stop (consumed) or the end; stop === EOF reads everything. */
  processStopOn(stop, rawEscapes) {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      let result = "";
      const fields = new Fields();
      const quotes = !this.opts.skipProcessQuotes;
      while (this.peek() !== EOF) {
        let ch = this.peek();
        if (stop !== EOF && ch === stop) {
          this.next();
          return { word: result, words: fields.finish() };
        }
        if (ch === "$") {
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
  processSingleQuote() {
    let result = "";
    let ch = this.next();
    if (this.opts.rawQuotes) result += ch;
    for (; ; ) {
      ch = this.next();
      if (ch === EOF)
        throw new ExpansionError("unexpected end of statement while looking for matching single-quote");
      if (ch === "'") {
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }
  processDoubleQuote() {
    let result = "";
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (; ; ) {
      const p = this.peek();
      if (p === EOF)
        throw new ExpansionError("unexpected end of statement while looking for matching double-quote");
      if (p === '"') {
        const ch2 = this.next();
        if (this.opts.rawQuotes) result += ch2;
        return result;
      }
      if (p === "$") {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.escape) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === EOF) continue;
        if (after === '"' || after === "$" || after === this.escape) ch = this.next();
      }
      result += ch;
    }
  }
  get(name) {
    const v = this.lookup(name);
    if (v === void 0) this.unmatched.add(name);
    else this.matched.add(name);
    return v;
  }
  processDollar() {
    this.next();
    if (this.peek() !== "{") {
      const name2 = this.processName();
      if (name2 === "") return "$";
      const v = this.get(name2);
      if (v === void 0 && this.opts.skipUnsetEnv) return "$" + name2;
      return v ?? "";
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new ExpansionError("syntax error: missing '}'");
    if (first === "{" || first === "}" || first === ":")
      throw new ExpansionError("syntax error: bad substitution");
    const name = this.processName();
    let ch = this.next();
    if (ch === EOF) throw new ExpansionError("syntax error: missing '}'");
    let chs = ch;
    let nullIsUnset = false;
    if (ch === "}") {
      const v = this.get(name);
      if (v === void 0 && this.opts.skipUnsetEnv) return "${" + name + "}";
      return v ?? "";
    }
    if (ch === ":") {
      nullIsUnset = true;
      ch = this.next();
      chs += ch;
    }
    if (nullIsUnset || ch === "+" || ch === "-" || ch === "?" || ch === "#" || ch === "%") {
      let word;
      try {
        word = this.processStopOn("}", ch === "#" || ch === "%").word;
      } catch (e) {
        if (this.peek() === EOF) throw new ExpansionError("syntax error: missing '}'");
        throw e;
      }
      const value = this.get(name);
      if (value === void 0 && this.opts.skipUnsetEnv) return "${" + name + chs + word + "}";
      const isSet = value !== void 0;
      const empty = !isSet || nullIsUnset && value === "";
      switch (ch) {
        case "-":
          return empty ? word : value;
        case "+":
          return empty ? "" : word;
        case "?":
          if (!isSet)
            throw new ExpansionError(`${name}: ${word !== "" ? word : "is not allowed to be unset"}`);
          if (nullIsUnset && value === "")
            throw new ExpansionError(`${name}: ${word !== "" ? word : "is not allowed to be empty"}`);
          return value;
        case "%":
        case "#": {
          let pattern = word;
          let greedy = false;
          if (pattern.startsWith(ch)) {
            greedy = true;
            pattern = pattern.slice(1);
          }
          return ch === "%" ? trimSuffix(pattern, value ?? "", greedy) : trimPrefix(pattern, value ?? "", greedy);
        }
        default:
          throw new ExpansionError(`unsupported modifier (${printable(chs)}) in substitution`);
      }
    }
    if (ch === "/") {
      const all = this.peek() === "/";
      if (all) this.next();
      let pattern;
      try {
        pattern = this.processStopOn("/", true).word;
      } catch (e) {
        if (this.peek() === EOF) throw new ExpansionError("syntax error: missing '/' in ${}");
        throw e;
      }
      let replacement;
      try {
        replacement = this.processStopOn("}", true).word;
      } catch (e) {
        if (this.peek() === EOF) throw new ExpansionError("syntax error: missing '}'");
        throw e;
      }
      const value = this.get(name);
      if (value === void 0 && this.opts.skipUnsetEnv)
        return "${" + name + "/" + pattern + "/" + replacement + "}";
      const re = patternToRegex(pattern, true, false, all);
      return (value ?? "").replace(re, () => replacement);
    }
    throw new ExpansionError(`unsupported modifier (${printable(chs)}) in substitution`);
  }
  processName() {
    let name = "";
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name === "" && DIGIT.test(ch)) {
        while (this.peek() !== EOF && DIGIT.test(this.peek())) name += this.next();
        return name;
      }
      if (name === "" && SPECIAL_PARAMS.has(ch)) return this.next();
      if (!NAME_CHAR.test(ch)) break;
      name += this.next();
    }
    return name;
  }
};
function patternToRegex(pattern, greedy, anchored, global = false) {
  const chars = Array.from(pattern);
  let out = anchored ? "^" : "";
  for (let i = 0; i < chars.length; i++) {
    let tok = chars[i];
    switch (tok) {
      case "*":
        out += greedy ? ".*" : ".*?";
        continue;
      case "?":
        out += ".";
        continue;
      case "\\": {
        const nextCh = chars[i + 1];
        if (nextCh === "}" || nextCh === "/") continue;
        out += "\\";
        i++;
        tok = chars[i] ?? "";
        if (tok !== "*" && tok !== "?" && tok !== "\\")
          throw new ExpansionError(`invalid pattern (${pattern}) in substitution: invalid escape '\\${tok}'`);
        break;
      }
      case "[":
      case "]":
      case "{":
      case "}":
      case ".":
      case "+":
      case "(":
      case ")":
      case "|":
      case "^":
      case "$":
        out += "\\";
        break;
    }
    out += tok;
  }
  return new RegExp(out, global ? "gu" : "u");
}
function trimPrefix(pattern, value, greedy) {
  const m = patternToRegex(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}
function reversePattern(pattern) {
  const chars = Array.from(pattern);
  const out = new Array(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    const tok = chars[i];
    const at = last - i;
    if (tok === "\\" && i !== last) {
      out[at - 1] = tok;
      out[at] = chars[i + 1];
      i += 2;
    } else {
      out[at] = tok;
      i++;
    }
  }
  return out.join("");
}
function reverseString(s) {
  return Array.from(s).reverse().join("");
}
function trimSuffix(pattern, value, greedy) {
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}
function lex(word, lookup, opts = {}) {
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
function expandWord(word, lookup, opts = {}) {
  return lex(word, lookup, opts).word;
}
function expandWords(word, lookup, opts = {}) {
  return lex(word, lookup, opts).words;
}
function printable(s) {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

// src/dockerfile/parser.ts
var DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
var KNOWN_DIRECTIVES = /* @__PURE__ */ new Set(["syntax", "escape", "check"]);
var DOCKERFILE_FRONTEND = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?(?::[\w][\w.-]*)?(?:@sha256:[a-f0-9]{64})?$/;
var WHITESPACE_SPLIT = /[\t\v\f\r ]+/;
var HEREDOC_WORD = /^(\d*)<<(-?)\s*([^<]*)$/;
var UNICODE_SPACE = /\s/u;
function isSpaceCode(c) {
  return c === 32 || c >= 9 && c <= 13 || c === 133 || c === 160 || c > 255 && UNICODE_SPACE.test(String.fromCharCode(c));
}
function trimLeft(s) {
  let i = 0;
  while (i < s.length && isSpaceCode(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}
function trimRight(s) {
  let i = s.length;
  while (i > 0 && isSpaceCode(s.charCodeAt(i - 1))) i--;
  return i === s.length ? s : s.slice(0, i);
}
function trimSpace(s) {
  return trimRight(trimLeft(s));
}
var Directives = class {
  escapeToken = "\\";
  done = false;
  seen = [];
  file;
  constructor(file) {
    this.file = file;
  }
  parseLine(line, lineNo) {
    if (this.done) return;
    const m = DIRECTIVE.exec(line);
    if (!m) {
      this.done = true;
      return;
    }
    const name = m[1].toLowerCase();
    const value = m[2];
    if (!KNOWN_DIRECTIVES.has(name)) {
      this.done = true;
      return;
    }
    if (this.seen.some((d) => d.name === name))
      throw new DockerfileError(this.file, lineNo, `only one ${name} parser directive can be used`);
    this.seen.push({ name, value, line: lineNo });
    if (name === "escape") {
      if (value !== "\\" && value !== "`")
        throw new DockerfileError(
          this.file,
          lineNo,
          `invalid escape token '${value}' does not match \` or \\`
        );
      this.escapeToken = value;
    }
    const image = value.split(" ")[0];
    if (name === "syntax" && !DOCKERFILE_FRONTEND.test(image)) {
      throw new DockerfileError(
        this.file,
        lineNo,
        `unsupported frontend "${image}": only docker/dockerfile syntax is built in and no other frontend image is run`
      );
    }
  }
  /** Whether the last trimContinuation call found the end of the logical line. */
  ended = true;
  /**
   * Strips a trailing escape character (plus spaces and tabs) and sets `ended`. As in BuildKit, an
   * escape preceded by another escape (`\\\\` at the end) is an escaped escape, not a continuation.
   */
  trimContinuation(line) {
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
};
var Lines = class {
  text;
  /** starts[i] is where 0-based line i begins; starts[count] is text.length. */
  starts = [];
  count;
  constructor(text) {
    this.text = text;
    let start = 0;
    while (start < text.length) {
      this.starts.push(start);
      const nl = text.indexOf("\n", start);
      start = nl < 0 ? text.length : nl + 1;
    }
    this.count = this.starts.length;
    this.starts.push(text.length);
  }
  /** 0-based line i without its line ending (all trailing `\r` and `\n`, as Go's TrimRight). */
  line(i) {
    const start = this.starts[i];
    let end = this.starts[i + 1];
    while (end > start) {
      const c = this.text.charCodeAt(end - 1);
      if (c !== 10 && c !== 13) break;
      end--;
    }
    return this.text.slice(start, end);
  }
  /** 0-based line i with its line ending (heredoc bodies keep them). */
  raw(i) {
    return this.text.slice(this.starts[i], this.starts[i + 1]);
  }
};
function parseDockerfile(text, file = "Dockerfile") {
  const lines = new Lines(text);
  const d = new Directives(file);
  const nodes = [];
  const warnings = [];
  let comments = [];
  let i = 0;
  while (i < lines.count) {
    let raw = lines.line(i);
    i++;
    if (i === 1 && raw.charCodeAt(0) === 65279) raw = raw.slice(1);
    const lineNo = i;
    let token = trimLeft(raw);
    const comment = token.charCodeAt(0) === 35;
    if (comment) {
      const c = trimSpace(token.slice(1));
      if (c === "") comments = [];
      else comments.push(c);
    }
    d.parseLine(token, lineNo);
    if (comment) token = "";
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
      warnings.push({ file, line: lineNo, message: "Empty continuation line found in: " + trimSpace(line) });
    const node = nodeFromLine(line, d.escapeToken, file, lineNo, comments);
    if (line.includes("<<") && canContainHeredoc(node)) {
      const docs = heredocsFromLine(line, file, lineNo);
      for (const doc of docs) {
        let terminated = false;
        while (i < lines.count) {
          let candidate = lines.line(i);
          if (doc.chomp) candidate = candidate.replace(/^\t+/, "");
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
    syntax: directives.find((x) => x.name === "syntax")?.value,
    check: directives.find((x) => x.name === "check")?.value,
    nodes,
    lineCount: lines.count,
    warnings
  };
}
function canContainHeredoc(node) {
  const n = node.instruction === "onbuild" && node.sub ? node.sub : node;
  if (n.instruction !== "run" && n.instruction !== "copy" && n.instruction !== "add") return false;
  return !n.json;
}
function nodeFromLine(line, escapeToken, file, lineNo, comments) {
  const trimmed = trimSpace(line);
  const m = WHITESPACE_SPLIT.exec(trimmed);
  const keyword = m ? trimmed.slice(0, m.index) : trimmed;
  let rest = m ? trimmed.slice(m.index + m[0].length) : "";
  let flags = [];
  if (m) [rest, flags] = extractBuilderFlags(rest);
  rest = trimSpace(rest);
  const node = {
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
    comments
  };
  try {
    parseArgs(node, rest, escapeToken, file, lineNo);
  } catch (e) {
    if (e instanceof ParseArgsError) throw new DockerfileError(file, lineNo, e.message);
    throw e;
  }
  return node;
}
var ParseArgsError = class extends Error {
};
var NOT_STRING_ARRAY = "when using JSON array syntax, arrays must be comprised of strings only";
function parseArgs(node, rest, escapeToken, file, lineNo) {
  switch (node.instruction) {
    case "add":
    case "copy":
    case "volume":
      maybeJSONToList(node, rest);
      return;
    case "arg":
      node.args = parseWords(rest, escapeToken);
      return;
    case "cmd":
    case "entrypoint":
    case "run":
    case "shell":
      maybeJSON(node, rest);
      return;
    case "env":
    case "label":
      node.keyValues = parseNameVal(rest, node.instruction.toUpperCase(), escapeToken);
      return;
    case "expose":
    case "from":
      node.args = rest === "" ? [] : rest.split(WHITESPACE_SPLIT);
      return;
    case "healthcheck": {
      let sep = 0;
      while (sep < rest.length && !isSpaceCode(rest.charCodeAt(sep))) sep++;
      if (sep === 0) return;
      let next = sep;
      while (next < rest.length && isSpaceCode(rest.charCodeAt(next))) next++;
      maybeJSON(node, rest.slice(next));
      node.args.unshift(rest.slice(0, sep));
      return;
    }
    case "maintainer":
    case "stopsignal":
    case "user":
    case "workdir":
      if (rest !== "") node.args = [rest];
      return;
    case "onbuild":
      if (rest !== "") {
        node.sub = nodeFromLine(rest, escapeToken, file, lineNo, []);
        node.args = [node.sub.keyword];
      }
      return;
    default:
      return;
  }
}
function parseJSONArray(rest) {
  const t = trimLeft(rest);
  if (!t.startsWith("[")) return null;
  let v;
  try {
    v = JSON.parse(t);
  } catch {
    return null;
  }
  if (!Array.isArray(v)) return null;
  for (const s of v) if (typeof s !== "string") throw new ParseArgsError(NOT_STRING_ARRAY);
  return v;
}
function maybeJSON(node, rest) {
  if (rest === "") return;
  const arr = parseJSONArray(rest);
  if (arr) {
    node.args = arr;
    node.json = true;
    return;
  }
  node.args = [rest];
}
function maybeJSONToList(node, rest) {
  const arr = parseJSONArray(rest);
  if (arr) {
    node.args = arr;
    node.json = true;
    return;
  }
  node.args = rest === "" ? [] : rest.split(WHITESPACE_SPLIT);
}
function extractBuilderFlags(line) {
  const words = [];
  const IN_SPACES = 0;
  const IN_WORD = 1;
  const IN_QUOTE = 2;
  let phase = IN_SPACES;
  let word = "";
  let quote = "";
  let blankOK = false;
  for (let pos = 0; pos <= line.length; pos++) {
    let ch = pos < line.length ? line[pos] : "";
    if (phase === IN_SPACES) {
      if (pos === line.length) break;
      if (isSpaceCode(line.charCodeAt(pos))) continue;
      if (ch !== "-" || pos + 1 === line.length || line[pos + 1] !== "-") return [line.slice(pos), words];
      phase = IN_WORD;
    }
    if (pos === line.length) {
      if (word !== "--" && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === IN_WORD) {
      if (isSpaceCode(line.charCodeAt(pos))) {
        phase = IN_SPACES;
        if (word === "--") return [line.slice(pos), words];
        if (blankOK || word.length > 0) words.push(word);
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = IN_QUOTE;
        continue;
      }
      if (ch === "\\") {
        if (pos + 1 === line.length) continue;
        pos++;
        ch = line[pos];
      }
      word += ch;
      continue;
    }
    if (ch === quote) {
      phase = IN_WORD;
      continue;
    }
    if (ch === "\\") {
      if (pos + 1 === line.length) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      ch = line[pos];
    }
    word += ch;
  }
  return ["", words];
}
function parseWords(rest, escapeToken) {
  const words = [];
  const IN_SPACES = 0;
  const IN_WORD = 1;
  const IN_QUOTE = 2;
  let phase = IN_SPACES;
  let word = "";
  let quote = "";
  let blankOK = false;
  const chars = rest;
  for (let pos = 0; pos <= chars.length; pos++) {
    let ch = pos < chars.length ? chars[pos] : "";
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
        word = "";
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
        ch = chars[pos];
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = IN_WORD;
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      word += ch;
      ch = chars[pos];
    }
    word += ch;
  }
  return words;
}
function parseNameVal(rest, key, escapeToken) {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return [];
  if (!words[0].includes("=")) {
    const m = WHITESPACE_SPLIT.exec(rest);
    if (!m) throw new ParseArgsError(`${key} must have two arguments`);
    return [{ key: rest.slice(0, m.index), value: rest.slice(m.index + m[0].length), noDelim: true }];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    if (eq < 0)
      throw new ParseArgsError(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return { key: w.slice(0, eq), value: w.slice(eq + 1), noDelim: false };
  });
}
function parseHeredocWord(word) {
  const m = HEREDOC_WORD.exec(word);
  if (!m) return void 0;
  const rest = m[3];
  if (rest.length === 0) return void 0;
  const none = () => void 0;
  const words = expandWords(rest, none, { skipUnsetEnv: true });
  if (words.length !== 1) return void 0;
  const raw = expandWords(rest, none, { skipUnsetEnv: true, rawQuotes: true });
  if (raw.length !== 1)
    throw new ExpansionError(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  const name = words[0];
  const count = (s) => s.split("'").length + s.split('"').length - 2;
  return {
    name,
    expand: count(name) === count(raw[0]),
    chomp: m[2] === "-",
    fileDescriptor: m[1] ? Number.parseInt(m[1], 10) : 0
  };
}
function heredocsFromLine(line, file, lineNo) {
  let words;
  try {
    words = expandWords(line, () => void 0, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  } catch {
    return [];
  }
  const docs = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i];
    if (/^\d*<<$/.test(w) && i + 1 < words.length) w += words[++i];
    let h;
    try {
      h = parseHeredocWord(w);
    } catch (e) {
      if (e instanceof ExpansionError) throw new DockerfileError(file, lineNo, e.message);
      throw e;
    }
    if (h) docs.push({ ...h, content: "" });
  }
  return docs;
}
function chompHeredocContent(content) {
  return content.replace(/^\t+/gm, "");
}

// src/dockerfile/duration.ts
var UNITS = {
  ns: 1,
  us: 1e3,
  \u00B5s: 1e3,
  \u03BCs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 6e10,
  h: 36e11
};
function parseGoDuration(s) {
  let rest = s;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest[0] === "-") sign = -1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return void 0;
  let total = 0;
  const re = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== "") {
    const m = re.exec(rest);
    if (!m || m[1] === "" || m[1] === ".") return void 0;
    total += Number(m[1]) * UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.round(sign * total);
}
function fmtFrac(v, prec) {
  const whole = Math.floor(v / 10 ** prec);
  let frac = String(v % 10 ** prec).padStart(prec, "0").replace(/0+$/, "");
  if (frac !== "") frac = "." + frac;
  return `${whole}${frac}`;
}
function formatGoDuration(ns) {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let u = Math.abs(Math.round(ns));
  let out;
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${fmtFrac(u, 3)}\xB5s`;
    else out = `${fmtFrac(u, 6)}ms`;
  } else {
    const secNs = u % 6e10;
    u = Math.floor(u / 6e10);
    out = `${fmtFrac(secNs, 9)}s`;
    if (u > 0) {
      out = `${u % 60}m${out}`;
      u = Math.floor(u / 60);
      if (u > 0) out = `${u}h${out}`;
    }
  }
  return neg ? "-" + out : out;
}

// src/dockerfile/ports.ts
var PortError = class extends Error {
};
function parsePort(s) {
  if (!/^[0-9]+$/.test(s) || Number(s) > 65535) throw new PortError(`invalid containerPort: ${s}`);
  return Number(s);
}
function parseRange(s, what) {
  if (s === "") throw new PortError(`invalid ${what}: ${s}`);
  const parts = s.split("-");
  try {
    if (parts.length === 1) {
      const p = parsePort(s);
      return [p, p];
    }
    if (parts.length !== 2) throw new PortError(`invalid ${what}: ${s}`);
    const a = parsePort(parts[0]);
    const b = parsePort(parts[1]);
    if (b < a) throw new PortError(`invalid ${what}: ${s}`);
    return [a, b];
  } catch {
    throw new PortError(`invalid ${what}: ${s}`);
  }
}
function parsePortSpec(raw) {
  const parts = raw.split(":");
  const container = parts[parts.length - 1];
  const hostPort = parts.length >= 2 ? parts[parts.length - 2] : "";
  const slash = container.indexOf("/");
  const port = slash < 0 ? container : container.slice(0, slash);
  let proto = slash < 0 ? "" : container.slice(slash + 1).toLowerCase();
  if (port === "") throw new PortError(`no port specified: ${raw}<empty>`);
  if (proto === "") proto = "tcp";
  if (proto !== "tcp" && proto !== "udp" && proto !== "sctp") throw new PortError(`invalid proto: ${proto}`);
  const [start, end] = parseRange(port, "containerPort");
  if (hostPort !== "") {
    const [hs, he] = parseRange(hostPort, "hostPort");
    if (end - start !== he - hs && end !== start)
      throw new PortError(`invalid ranges specified for container and host Ports: ${port} and ${hostPort}`);
  }
  const out = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}
function parsePortSpecs(ports) {
  return ports.flatMap(parsePortSpec);
}

// src/dockerfile/history.ts
var DEFAULT_SHELL = ["/bin/sh", "-c"];
var PROXY_ARGS = [
  "HTTP_PROXY",
  "http_proxy",
  "HTTPS_PROXY",
  "https_proxy",
  "FTP_PROXY",
  "ftp_proxy",
  "NO_PROXY",
  "no_proxy",
  "ALL_PROXY",
  "all_proxy"
];
function commandArgv(cmd, shell) {
  if (!cmd.prependShell) return [...cmd.cmdLine];
  const sh = shell && shell.length > 0 ? shell : DEFAULT_SHELL;
  return [...sh, cmd.cmdLine.join(" ")];
}
function runArgv(cmd, shell) {
  if (cmd.files.length === 0 || !cmd.prependShell || cmd.cmdLine.length !== 1)
    return { argv: commandArgv(cmd, shell) };
  const line = cmd.cmdLine[0];
  let single;
  try {
    single = parseHeredocWord(line);
  } catch {
    single = void 0;
  }
  if (single) {
    const f = cmd.files[0];
    const data = f.chomp ? chompHeredocContent(f.data) : f.data;
    if (data.startsWith("#!"))
      return {
        argv: commandArgv({ cmdLine: [`/dev/pipes/${f.name}`], prependShell: true }, shell),
        scriptFile: { ...f, data }
      };
    return { argv: commandArgv({ cmdLine: [data], prependShell: true }, shell) };
  }
  let joined = line;
  for (const f of cmd.files) joined += "\n" + f.data + f.name;
  return { argv: commandArgv({ cmdLine: [joined], prependShell: true }, shell) };
}
function normalizeWorkdir(current, requested) {
  const joined = requested.startsWith("/") ? requested : `${current || "/"}/${requested}`;
  const out = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
function goQuoteSlice(list) {
  return "[" + list.map(goQuote).join(" ") + "]";
}
function goSlice(list) {
  return "[" + list.join(" ") + "]";
}
function healthcheckHistory(h) {
  return `HEALTHCHECK {Test:${goSlice(h.test)} Interval:${formatGoDuration(h.interval)} Timeout:${formatGoDuration(h.timeout)} StartPeriod:${formatGoDuration(h.startPeriod)} StartInterval:${formatGoDuration(h.startInterval)} Retries:${h.retries}}`;
}
function runPrefix(args) {
  const order = [];
  const values = /* @__PURE__ */ new Map();
  for (const a of args) {
    if (PROXY_ARGS.includes(a.key)) continue;
    if (!values.has(a.key)) order.push(a.key);
    values.set(a.key, a.value);
  }
  if (order.length === 0) return [];
  return [`|${order.length}`, ...order.map((k) => `${k}=${values.get(k)}`)];
}
function createdBy(cmd, ctx = {}) {
  switch (cmd.kind) {
    case "FROM":
    case "ONBUILD":
      return void 0;
    case "RUN": {
      const { argv } = runArgv(cmd, ctx.shell);
      return "RUN " + [...runPrefix(ctx.buildArgs ?? []), ...argv].join(" ") + " # buildkit";
    }
    case "CMD":
      return "CMD " + goQuoteSlice(commandArgv(cmd, ctx.shell));
    case "ENTRYPOINT":
      return "ENTRYPOINT " + goQuoteSlice(commandArgv(cmd, ctx.shell));
    case "ENV":
      return "ENV" + cmd.env.map((kv) => ` ${kv.key}=${kv.value}`).join("");
    case "LABEL":
      return "LABEL" + cmd.labels.map((kv) => ` ${kv.key}=${kv.value}`).join("");
    case "MAINTAINER":
      return "MAINTAINER " + cmd.maintainer;
    case "EXPOSE":
      return "EXPOSE " + goSlice(parsePortSpecs(cmd.ports));
    case "VOLUME":
      return "VOLUME " + goSlice(cmd.volumes);
    case "USER":
      return "USER " + cmd.user;
    case "WORKDIR":
      return "WORKDIR " + normalizeWorkdir(ctx.workdir ?? "/", cmd.path);
    case "STOPSIGNAL":
      return "STOPSIGNAL " + cmd.signal;
    case "SHELL":
      return "SHELL " + goSlice(cmd.shell);
    case "HEALTHCHECK":
      return healthcheckHistory(cmd.health);
    case "ARG": {
      const vals = ctx.argValues ?? cmd.args;
      return "ARG " + vals.map((a) => a.value === void 0 ? a.key : `${a.key}=${a.value}`).join(" ");
    }
    case "COPY":
    case "ADD": {
      let s = cmd.kind;
      if (cmd.kind === "COPY" && cmd.parents) s += " --parents";
      if (cmd.chown !== void 0) s += " --chown=" + cmd.chown;
      if (cmd.chmod !== void 0) s += " --chmod=" + cmd.chmod;
      for (const src of cmd.sources) s += " " + src;
      for (const f of cmd.sourceContents) s += " <<" + f.name;
      return s + " " + cmd.dest + " # buildkit";
    }
  }
}

// src/build/image-config.ts
var DEFAULT_PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function setEnv(env, key, value) {
  const out = [...env];
  const i = out.findIndex((e) => (e.includes("=") ? e.slice(0, e.indexOf("=")) : e) === key);
  if (i >= 0) out[i] = `${key}=${value}`;
  else out.push(`${key}=${value}`);
  return out;
}
function envToMap(env) {
  const m = /* @__PURE__ */ new Map();
  for (const e of env ?? []) {
    const eq = e.indexOf("=");
    if (eq < 0) m.set(e, "");
    else m.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return m;
}
function shellOf(config) {
  return config.Shell && config.Shell.length > 0 ? config.Shell : DEFAULT_SHELL;
}
function healthForConfig(h) {
  if (h.test[0] === "NONE") return { Test: ["NONE"] };
  return {
    Test: h.test,
    ...h.interval ? { Interval: h.interval } : {},
    ...h.timeout ? { Timeout: h.timeout } : {},
    ...h.startPeriod ? { StartPeriod: h.startPeriod } : {},
    ...h.startInterval ? { StartInterval: h.startInterval } : {},
    ...h.retries ? { Retries: h.retries } : {}
  };
}
function applyMetadata(state, cmd) {
  const c = state.config;
  switch (cmd.kind) {
    case "ENV": {
      let env = c.Env ?? [];
      for (const kv of cmd.env) env = setEnv(env, kv.key, kv.value);
      c.Env = env;
      return true;
    }
    case "LABEL":
      c.Labels = { ...c.Labels ?? {} };
      for (const kv of cmd.labels) c.Labels[kv.key] = kv.value;
      return true;
    case "MAINTAINER":
      state.author = cmd.maintainer;
      return true;
    case "EXPOSE":
      c.ExposedPorts = { ...c.ExposedPorts ?? {} };
      for (const p of parsePortSpecs(cmd.ports)) c.ExposedPorts[p] = {};
      return true;
    case "USER":
      c.User = cmd.user;
      return true;
    case "VOLUME":
      c.Volumes = { ...c.Volumes ?? {} };
      for (const v of cmd.volumes) c.Volumes[v] = {};
      return true;
    case "STOPSIGNAL":
      c.StopSignal = cmd.signal;
      return true;
    case "HEALTHCHECK":
      c.Healthcheck = healthForConfig(cmd.health);
      return true;
    case "SHELL":
      c.Shell = [...cmd.shell];
      return true;
    case "ONBUILD":
      c.OnBuild = [...c.OnBuild ?? [], cmd.expression];
      return true;
    case "CMD":
      c.Cmd = commandArgv(cmd, shellOf(c));
      state.cmdSet = true;
      return true;
    case "ENTRYPOINT":
      c.Entrypoint = commandArgv(cmd, shellOf(c));
      if (!state.cmdSet) c.Cmd = null;
      return true;
    default:
      return false;
  }
}
function runEnv(config, args, buildArgs) {
  const env = [...config.Env ?? []];
  const have = envToMap(env);
  for (const [k, v] of args) if (!have.has(k) && v !== void 0) env.push(`${k}=${v}`);
  for (const k of PROXY_ARGS)
    if (Object.hasOwn(buildArgs, k) && !have.has(k)) env.push(`${k}=${buildArgs[k]}`);
  return env;
}

// src/build/user.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
async function readLines(path) {
  const text = await (0, import_promises.readFile)(path, "utf8").catch(() => "");
  return text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).map((l) => l.split(":"));
}
function parsePasswd(rows) {
  return rows.filter((r) => r.length >= 4).map((r) => ({ name: r[0], uid: Number(r[2]), gid: Number(r[3]) }));
}
function parseGroup(rows) {
  return rows.filter((r) => r.length >= 3).map((r) => ({ name: r[0], gid: Number(r[2]), members: (r[3] ?? "").split(",").filter(Boolean) }));
}
var isId = (s) => /^[0-9]+$/.test(s);
var UserError = class extends Error {
  name = "UserError";
};
async function resolveUser(rootfs, spec) {
  const value = spec ?? "";
  if (value === "") return { uid: 0, gid: 0, groups: [] };
  const [userPart, groupPart] = value.split(":", 2);
  const passwd = parsePasswd(await readLines((0, import_node_path.join)(rootfs, "etc", "passwd")));
  let uid;
  let gid = 0;
  let name;
  const byName = passwd.find((p) => p.name === userPart);
  if (byName) {
    ({ uid, gid, name } = byName);
  } else if (userPart === "root") {
    uid = 0;
    name = "root";
  } else if (isId(userPart)) {
    uid = Number(userPart);
    const byUid = passwd.find((p) => p.uid === uid);
    if (byUid) ({ gid, name } = byUid);
  } else {
    throw new UserError(`unable to find user ${userPart}: no matching entries in passwd file`);
  }
  const groups = parseGroup(await readLines((0, import_node_path.join)(rootfs, "etc", "group")));
  if (groupPart !== void 0 && groupPart !== "") {
    const g = groups.find((x) => x.name === groupPart);
    if (g) gid = g.gid;
    else if (isId(groupPart)) gid = Number(groupPart);
    else throw new UserError(`unable to find group ${groupPart}: no matching entries in group file`);
    return { uid, gid, groups: [] };
  }
  const supplementary = name ? groups.filter((g) => g.members.includes(name) && g.gid !== gid).map((g) => g.gid) : [];
  return { uid, gid, groups: supplementary };
}

export {
  expandWord,
  expandWords,
  parseDockerfile,
  parseHeredocWord,
  chompHeredocContent,
  parseGoDuration,
  formatGoDuration,
  PortError,
  parsePortSpecs,
  PROXY_ARGS,
  runArgv,
  normalizeWorkdir,
  createdBy,
  DEFAULT_PATH_ENV,
  envToMap,
  shellOf,
  applyMetadata,
  runEnv,
  resolveUser
};
