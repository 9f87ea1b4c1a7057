const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  PresentBlobs,
  SourceMissing,
  UploadSessions,
  checkPushPermission,
  hashSources,
  pushImage
} from "./chunk-MT73FQIH.js";
import {
  pullImage,
  writeOciLayout
} from "./chunk-2WUUQVKG.js";
import {
  appendLayer,
  closeTransport,
  createdOf,
  fileLayer,
  hexOf,
  mutate,
  scratchConfig,
  transportFor
} from "./chunk-4VBGUFGB.js";
import {
  registryOptionsFromFlags
} from "./chunk-T6U52VLM.js";
import {
  dockerConfigKeychain
} from "./chunk-QU5GNBFF.js";
import {
  stepKey
} from "./chunk-F5BQI5MV.js";
import {
  DEFAULT_PATH_ENV,
  PROXY_ARGS,
  PortError,
  applyMetadata,
  chompHeredocContent,
  createdBy,
  envToMap,
  expandWord,
  expandWords,
  formatGoDuration,
  insidePath,
  normalizeWorkdir,
  parseDockerfile,
  parseGoDuration,
  parseHeredocWord,
  parsePortSpecs,
  resolveInRoot,
  resolveUser,
  shellOf
} from "./chunk-V6V727VA.js";
import "./chunk-5C3BL7RE.js";
import {
  require_promises as require_promises2
} from "./chunk-PGPEOOSP.js";
import {
  require_node_util
} from "./chunk-L6C7SMFX.js";
import {
  hostPlatform,
  loadDockerignore,
  parsePlatform
} from "./chunk-BE4DVIFM.js";
import "./chunk-77HIO646.js";
import {
  parseReference
} from "./chunk-5PIJZC72.js";
import {
  DockerfileError,
  ExpansionError,
  suggest
} from "./chunk-EOFCRA5Y.js";
import {
  canCreateUserNamespace,
  inUserNamespace,
  uidMap
} from "./chunk-AB5CQHS6.js";
import {
  SandboxError
} from "./chunk-SYGD3FLI.js";
import {
  parseContext,
  parseGitOptions,
  redactContext
} from "./chunk-57CJ4FLA.js";
import "./chunk-HOMR2HPD.js";
import "./chunk-S2V5PZBG.js";
import {
  extractLayer,
  readXattrs
} from "./chunk-2PKG5B6T.js";
import "./chunk-QTTXRMTW.js";
import {
  ContextError
} from "./chunk-NLAINIXL.js";
import {
  require_node_child_process
} from "./chunk-Y3A2L6LS.js";
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
import {
  require_node_os
} from "./chunk-5UUJECFZ.js";
import {
  require_node_zlib
} from "./chunk-XBC7G4DO.js";
import {
  require_node_stream
} from "./chunk-77QJEF4W.js";
import {
  require_node_fs
} from "./chunk-LIYV7COB.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:readline
var require_node_readline = __commonJS({
  "kaniko-ts-builtin:node:readline"(exports, module) {
    module.exports = __require("node:readline");
  }
});

// node_modules/events-universal/default.js
var require_default = __commonJS({
  "node_modules/events-universal/default.js"(exports, module) {
    module.exports = __require("events");
  }
});

// node_modules/fast-fifo/fixed-size.js
var require_fixed_size = __commonJS({
  "node_modules/fast-fifo/fixed-size.js"(exports, module) {
    module.exports = class FixedFIFO {
      constructor(hwm) {
        if (!(hwm > 0) || (hwm - 1 & hwm) !== 0) throw new Error("Max size for a FixedFIFO should be a power of two");
        this.buffer = new Array(hwm);
        this.mask = hwm - 1;
        this.top = 0;
        this.btm = 0;
        this.next = null;
      }
      clear() {
        this.top = this.btm = 0;
        this.next = null;
        this.buffer.fill(void 0);
      }
      push(data) {
        if (this.buffer[this.top] !== void 0) return false;
        this.buffer[this.top] = data;
        this.top = this.top + 1 & this.mask;
        return true;
      }
      shift() {
        const last = this.buffer[this.btm];
        if (last === void 0) return void 0;
        this.buffer[this.btm] = void 0;
        this.btm = this.btm + 1 & this.mask;
        return last;
      }
      peek() {
        return this.buffer[this.btm];
      }
      isEmpty() {
        return this.buffer[this.btm] === void 0;
      }
    };
  }
});

// node_modules/fast-fifo/index.js
var require_fast_fifo = __commonJS({
  "node_modules/fast-fifo/index.js"(exports, module) {
    var FixedFIFO = require_fixed_size();
    module.exports = class FastFIFO {
      constructor(hwm) {
        this.hwm = hwm || 16;
        this.head = new FixedFIFO(this.hwm);
        this.tail = this.head;
        this.length = 0;
      }
      clear() {
        this.head = this.tail;
        this.head.clear();
        this.length = 0;
      }
      push(val) {
        this.length++;
        if (!this.head.push(val)) {
          const prev = this.head;
          this.head = prev.next = new FixedFIFO(2 * this.head.buffer.length);
          this.head.push(val);
        }
      }
      shift() {
        if (this.length !== 0) this.length--;
        const val = this.tail.shift();
        if (val === void 0 && this.tail.next) {
          const next = this.tail.next;
          this.tail.next = null;
          this.tail = next;
          return this.tail.shift();
        }
        return val;
      }
      peek() {
        const val = this.tail.peek();
        if (val === void 0 && this.tail.next) return this.tail.next.peek();
        return val;
      }
      isEmpty() {
        return this.length === 0;
      }
    };
  }
});

// node_modules/b4a/index.js
var require_b4a = __commonJS({
  "node_modules/b4a/index.js"(exports, module) {
    function isBuffer(value) {
      return Buffer.isBuffer(value) || value instanceof Uint8Array;
    }
    function isEncoding(encoding) {
      return Buffer.isEncoding(encoding);
    }
    function alloc(size, fill2, encoding) {
      return Buffer.alloc(size, fill2, encoding);
    }
    function allocUnsafe(size) {
      return Buffer.allocUnsafe(size);
    }
    function allocUnsafeSlow(size) {
      return Buffer.allocUnsafeSlow(size);
    }
    function byteLength(string, encoding) {
      return Buffer.byteLength(string, encoding);
    }
    function compare(a, b) {
      return Buffer.compare(a, b);
    }
    function concat(buffers, totalLength) {
      return Buffer.concat(buffers, totalLength);
    }
    function copy(source, target, targetStart, start, end) {
      return toBuffer(source).copy(target, targetStart, start, end);
    }
    function equals(a, b) {
      return toBuffer(a).equals(b);
    }
    function fill(buffer, value, offset, end, encoding) {
      return toBuffer(buffer).fill(value, offset, end, encoding);
    }
    function from(value, encodingOrOffset, length) {
      return Buffer.from(value, encodingOrOffset, length);
    }
    function includes(buffer, value, byteOffset, encoding) {
      return toBuffer(buffer).includes(value, byteOffset, encoding);
    }
    function indexOf(buffer, value, byfeOffset, encoding) {
      return toBuffer(buffer).indexOf(value, byfeOffset, encoding);
    }
    function lastIndexOf(buffer, value, byteOffset, encoding) {
      return toBuffer(buffer).lastIndexOf(value, byteOffset, encoding);
    }
    function swap16(buffer) {
      return toBuffer(buffer).swap16();
    }
    function swap32(buffer) {
      return toBuffer(buffer).swap32();
    }
    function swap64(buffer) {
      return toBuffer(buffer).swap64();
    }
    function toBuffer(buffer) {
      if (Buffer.isBuffer(buffer)) return buffer;
      return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    function toString(buffer, encoding, start, end) {
      return toBuffer(buffer).toString(encoding, start, end);
    }
    function toHex(buffer, start, end) {
      return toBuffer(buffer).toString("hex", start, end);
    }
    function write(buffer, string, offset, length, encoding) {
      return toBuffer(buffer).write(string, offset, length, encoding);
    }
    function readDoubleBE(buffer, offset) {
      return toBuffer(buffer).readDoubleBE(offset);
    }
    function readDoubleLE(buffer, offset) {
      return toBuffer(buffer).readDoubleLE(offset);
    }
    function readFloatBE(buffer, offset) {
      return toBuffer(buffer).readFloatBE(offset);
    }
    function readFloatLE(buffer, offset) {
      return toBuffer(buffer).readFloatLE(offset);
    }
    function readInt32BE(buffer, offset) {
      return toBuffer(buffer).readInt32BE(offset);
    }
    function readInt32LE(buffer, offset) {
      return toBuffer(buffer).readInt32LE(offset);
    }
    function readUInt32BE(buffer, offset) {
      return toBuffer(buffer).readUInt32BE(offset);
    }
    function readUInt32LE(buffer, offset) {
      return toBuffer(buffer).readUInt32LE(offset);
    }
    function writeDoubleBE(buffer, value, offset) {
      return toBuffer(buffer).writeDoubleBE(value, offset);
    }
    function writeDoubleLE(buffer, value, offset) {
      return toBuffer(buffer).writeDoubleLE(value, offset);
    }
    function writeFloatBE(buffer, value, offset) {
      return toBuffer(buffer).writeFloatBE(value, offset);
    }
    function writeFloatLE(buffer, value, offset) {
      return toBuffer(buffer).writeFloatLE(value, offset);
    }
    function writeInt32BE(buffer, value, offset) {
      return toBuffer(buffer).writeInt32BE(value, offset);
    }
    function writeInt32LE(buffer, value, offset) {
      return toBuffer(buffer).writeInt32LE(value, offset);
    }
    function writeUInt32BE(buffer, value, offset) {
      return toBuffer(buffer).writeUInt32BE(value, offset);
    }
    function writeUInt32LE(buffer, value, offset) {
      return toBuffer(buffer).writeUInt32LE(value, offset);
    }
    module.exports = {
      isBuffer,
      isEncoding,
      alloc,
      allocUnsafe,
      allocUnsafeSlow,
      byteLength,
      compare,
      concat,
      copy,
      equals,
      fill,
      from,
      includes,
      indexOf,
      lastIndexOf,
      swap16,
      swap32,
      swap64,
      toBuffer,
      toString,
      toHex,
      write,
      readDoubleBE,
      readDoubleLE,
      readFloatBE,
      readFloatLE,
      readInt32BE,
      readInt32LE,
      readUInt32BE,
      readUInt32LE,
      writeDoubleBE,
      writeDoubleLE,
      writeFloatBE,
      writeFloatLE,
      writeInt32BE,
      writeInt32LE,
      writeUInt32BE,
      writeUInt32LE
    };
  }
});

// node_modules/text-decoder/lib/pass-through-decoder.js
var require_pass_through_decoder = __commonJS({
  "node_modules/text-decoder/lib/pass-through-decoder.js"(exports, module) {
    var b4a = require_b4a();
    module.exports = class PassThroughDecoder {
      constructor(encoding) {
        this.encoding = encoding;
      }
      get remaining() {
        return 0;
      }
      decode(data) {
        return b4a.toString(data, this.encoding);
      }
      flush() {
        return "";
      }
    };
  }
});

// node_modules/text-decoder/lib/utf8-decoder.js
var require_utf8_decoder = __commonJS({
  "node_modules/text-decoder/lib/utf8-decoder.js"(exports, module) {
    var b4a = require_b4a();
    module.exports = class UTF8Decoder {
      constructor() {
        this._reset();
      }
      get remaining() {
        return this.bytesSeen;
      }
      decode(data) {
        if (data.byteLength === 0) return "";
        if (this.bytesNeeded === 0 && trailingIncomplete(data, 0) === 0) {
          this.bytesSeen = trailingBytesSeen(data);
          return b4a.toString(data, "utf8");
        }
        let result = "";
        let start = 0;
        if (this.bytesNeeded > 0) {
          while (start < data.byteLength) {
            const byte = data[start];
            if (byte < this.lowerBoundary || byte > this.upperBoundary) {
              result += "\uFFFD";
              this._reset();
              break;
            }
            this.lowerBoundary = 128;
            this.upperBoundary = 191;
            this.codePoint = this.codePoint << 6 | byte & 63;
            this.bytesSeen++;
            start++;
            if (this.bytesSeen === this.bytesNeeded) {
              result += String.fromCodePoint(this.codePoint);
              this._reset();
              break;
            }
          }
          if (this.bytesNeeded > 0) return result;
        }
        const trailing = trailingIncomplete(data, start);
        const end = data.byteLength - trailing;
        if (end > start) result += b4a.toString(data, "utf8", start, end);
        for (let i = end; i < data.byteLength; i++) {
          const byte = data[i];
          if (this.bytesNeeded === 0) {
            if (byte <= 127) {
              this.bytesSeen = 0;
              result += String.fromCharCode(byte);
            } else if (byte >= 194 && byte <= 223) {
              this.bytesNeeded = 2;
              this.bytesSeen = 1;
              this.codePoint = byte & 31;
            } else if (byte >= 224 && byte <= 239) {
              if (byte === 224) this.lowerBoundary = 160;
              else if (byte === 237) this.upperBoundary = 159;
              this.bytesNeeded = 3;
              this.bytesSeen = 1;
              this.codePoint = byte & 15;
            } else if (byte >= 240 && byte <= 244) {
              if (byte === 240) this.lowerBoundary = 144;
              else if (byte === 244) this.upperBoundary = 143;
              this.bytesNeeded = 4;
              this.bytesSeen = 1;
              this.codePoint = byte & 7;
            } else {
              this.bytesSeen = 1;
              result += "\uFFFD";
            }
            continue;
          }
          if (byte < this.lowerBoundary || byte > this.upperBoundary) {
            result += "\uFFFD";
            i--;
            this._reset();
            continue;
          }
          this.lowerBoundary = 128;
          this.upperBoundary = 191;
          this.codePoint = this.codePoint << 6 | byte & 63;
          this.bytesSeen++;
          if (this.bytesSeen === this.bytesNeeded) {
            result += String.fromCodePoint(this.codePoint);
            this._reset();
          }
        }
        return result;
      }
      flush() {
        const result = this.bytesNeeded > 0 ? "\uFFFD" : "";
        this._reset();
        return result;
      }
      _reset() {
        this.codePoint = 0;
        this.bytesNeeded = 0;
        this.bytesSeen = 0;
        this.lowerBoundary = 128;
        this.upperBoundary = 191;
      }
    };
    function trailingIncomplete(data, start) {
      const len = data.byteLength;
      if (len <= start) return 0;
      const limit = Math.max(start, len - 4);
      let i = len - 1;
      while (i > limit && (data[i] & 192) === 128) i--;
      if (i < start) return 0;
      const byte = data[i];
      let needed;
      if (byte <= 127) return 0;
      if (byte >= 194 && byte <= 223) needed = 2;
      else if (byte >= 224 && byte <= 239) needed = 3;
      else if (byte >= 240 && byte <= 244) needed = 4;
      else return 0;
      const available = len - i;
      return available < needed ? available : 0;
    }
    function trailingBytesSeen(data) {
      const len = data.byteLength;
      if (len === 0) return 0;
      const last = data[len - 1];
      if (last <= 127) return 0;
      if ((last & 192) !== 128) return 1;
      const limit = Math.max(0, len - 4);
      let i = len - 2;
      while (i >= limit && (data[i] & 192) === 128) i--;
      if (i < 0) return 1;
      const first = data[i];
      let needed;
      if (first >= 194 && first <= 223) needed = 2;
      else if (first >= 224 && first <= 239) needed = 3;
      else if (first >= 240 && first <= 244) needed = 4;
      else return 1;
      if (len - i !== needed) return 1;
      if (needed >= 3) {
        const second = data[i + 1];
        if (first === 224 && second < 160) return 1;
        if (first === 237 && second > 159) return 1;
        if (first === 240 && second < 144) return 1;
        if (first === 244 && second > 143) return 1;
      }
      return 0;
    }
  }
});

// node_modules/text-decoder/index.js
var require_text_decoder = __commonJS({
  "node_modules/text-decoder/index.js"(exports, module) {
    var PassThroughDecoder = require_pass_through_decoder();
    var UTF8Decoder = require_utf8_decoder();
    module.exports = class TextDecoder {
      constructor(encoding = "utf8") {
        this.encoding = normalizeEncoding(encoding);
        switch (this.encoding) {
          case "utf8":
            this.decoder = new UTF8Decoder();
            break;
          case "utf16le":
          case "base64":
            throw new Error("Unsupported encoding: " + this.encoding);
          default:
            this.decoder = new PassThroughDecoder(this.encoding);
        }
      }
      get remaining() {
        return this.decoder.remaining;
      }
      push(data) {
        if (typeof data === "string") return data;
        return this.decoder.decode(data);
      }
      // For Node.js compatibility
      write(data) {
        return this.push(data);
      }
      end(data) {
        let result = "";
        if (data) result = this.push(data);
        result += this.decoder.flush();
        return result;
      }
    };
    function normalizeEncoding(encoding) {
      encoding = encoding.toLowerCase();
      switch (encoding) {
        case "utf8":
        case "utf-8":
          return "utf8";
        case "ucs2":
        case "ucs-2":
        case "utf16le":
        case "utf-16le":
          return "utf16le";
        case "latin1":
        case "binary":
          return "latin1";
        case "base64":
        case "ascii":
        case "hex":
          return encoding;
        default:
          throw new Error("Unknown encoding: " + encoding);
      }
    }
  }
});

// node_modules/streamx/lib/errors.js
var require_errors = __commonJS({
  "node_modules/streamx/lib/errors.js"(exports, module) {
    module.exports = class StreamError extends Error {
      constructor(msg, code, fn = StreamError) {
        super(msg);
        this.code = code;
        if (Error.captureStackTrace) {
          Error.captureStackTrace(this, fn);
        }
      }
      static isStreamDestroyed(err) {
        return err && err.code === "STREAM_DESTROYED";
      }
      static isPrematureClose(err) {
        return err && err.code === "PREMATURE_CLOSE";
      }
      static isAborted(err) {
        return err && err.code === "ABORTED";
      }
      static isBadArgument(err) {
        return err && err.code === "BAD_ARGUMENT";
      }
      get name() {
        return "StreamError";
      }
      static STREAM_DESTROYED() {
        return new StreamError("Stream was destroyed", "STREAM_DESTROYED", StreamError.STREAM_DESTROYED);
      }
      static PREMATURE_CLOSE(msg = "Premature close") {
        return new StreamError(msg, "PREMATURE_CLOSE", StreamError.PREMATURE_CLOSE);
      }
      static ABORTED() {
        return new StreamError("Stream aborted", "ABORTED", StreamError.ABORTED);
      }
      static BAD_ARGUMENT(msg = "Bad argument") {
        return new StreamError(msg, "BAD_ARGUMENT", StreamError.BAD_ARGUMENT);
      }
    };
  }
});

// node_modules/streamx/index.js
var require_streamx = __commonJS({
  "node_modules/streamx/index.js"(exports, module) {
    var { EventEmitter } = require_default();
    var FIFO = require_fast_fifo();
    var TextDecoder = require_text_decoder();
    var StreamError = require_errors();
    var qmt = typeof queueMicrotask === "undefined" ? (fn) => global.process.nextTick(fn) : queueMicrotask;
    var MAX = (1 << 29) - 1;
    var OPENING = 1;
    var PREDESTROYING = 2;
    var DESTROYING = 4;
    var DESTROYED = 8;
    var NOT_OPENING = MAX ^ OPENING;
    var NOT_PREDESTROYING = MAX ^ PREDESTROYING;
    var READ_ACTIVE = 1 << 4;
    var READ_UPDATING = 2 << 4;
    var READ_PRIMARY = 4 << 4;
    var READ_QUEUED = 8 << 4;
    var READ_RESUMED = 16 << 4;
    var READ_PIPE_DRAINED = 32 << 4;
    var READ_ENDING = 64 << 4;
    var READ_EMIT_DATA = 128 << 4;
    var READ_EMIT_READABLE = 256 << 4;
    var READ_EMITTED_READABLE = 512 << 4;
    var READ_DONE = 1024 << 4;
    var READ_NEXT_TICK = 2048 << 4;
    var READ_NEEDS_PUSH = 4096 << 4;
    var READ_READ_AHEAD = 8192 << 4;
    var READ_FLOWING = READ_RESUMED | READ_PIPE_DRAINED;
    var READ_ACTIVE_AND_NEEDS_PUSH = READ_ACTIVE | READ_NEEDS_PUSH;
    var READ_PRIMARY_AND_ACTIVE = READ_PRIMARY | READ_ACTIVE;
    var READ_EMIT_READABLE_AND_QUEUED = READ_EMIT_READABLE | READ_QUEUED;
    var READ_RESUMED_READ_AHEAD = READ_RESUMED | READ_READ_AHEAD;
    var READ_NOT_ACTIVE = MAX ^ READ_ACTIVE;
    var READ_NON_PRIMARY = MAX ^ READ_PRIMARY;
    var READ_NON_PRIMARY_AND_PUSHED = MAX ^ (READ_PRIMARY | READ_NEEDS_PUSH);
    var READ_PUSHED = MAX ^ READ_NEEDS_PUSH;
    var READ_PAUSED = MAX ^ READ_RESUMED;
    var READ_NOT_QUEUED = MAX ^ (READ_QUEUED | READ_EMITTED_READABLE);
    var READ_NOT_ENDING = MAX ^ READ_ENDING;
    var READ_PIPE_NOT_DRAINED = MAX ^ READ_FLOWING;
    var READ_NOT_NEXT_TICK = MAX ^ READ_NEXT_TICK;
    var READ_NOT_UPDATING = MAX ^ READ_UPDATING;
    var READ_NO_READ_AHEAD = MAX ^ READ_READ_AHEAD;
    var READ_PAUSED_NO_READ_AHEAD = MAX ^ READ_RESUMED_READ_AHEAD;
    var WRITE_ACTIVE = 1 << 18;
    var WRITE_UPDATING = 2 << 18;
    var WRITE_PRIMARY = 4 << 18;
    var WRITE_QUEUED = 8 << 18;
    var WRITE_UNDRAINED = 16 << 18;
    var WRITE_DONE = 32 << 18;
    var WRITE_EMIT_DRAIN = 64 << 18;
    var WRITE_NEXT_TICK = 128 << 18;
    var WRITE_WRITING = 256 << 18;
    var WRITE_FINISHING = 512 << 18;
    var WRITE_CORKED = 1024 << 18;
    var WRITE_NOT_ACTIVE = MAX ^ (WRITE_ACTIVE | WRITE_WRITING);
    var WRITE_NON_PRIMARY = MAX ^ WRITE_PRIMARY;
    var WRITE_NOT_FINISHING = MAX ^ (WRITE_ACTIVE | WRITE_FINISHING);
    var WRITE_DRAINED = MAX ^ WRITE_UNDRAINED;
    var WRITE_NOT_QUEUED = MAX ^ WRITE_QUEUED;
    var WRITE_NOT_NEXT_TICK = MAX ^ WRITE_NEXT_TICK;
    var WRITE_NOT_UPDATING = MAX ^ WRITE_UPDATING;
    var WRITE_NOT_CORKED = MAX ^ WRITE_CORKED;
    var ACTIVE = READ_ACTIVE | WRITE_ACTIVE;
    var NOT_ACTIVE = MAX ^ ACTIVE;
    var DONE = READ_DONE | WRITE_DONE;
    var DESTROY_STATUS = DESTROYING | DESTROYED | PREDESTROYING;
    var OPEN_STATUS = DESTROY_STATUS | OPENING;
    var AUTO_DESTROY = DESTROY_STATUS | DONE;
    var NON_PRIMARY = WRITE_NON_PRIMARY & READ_NON_PRIMARY;
    var ACTIVE_OR_TICKING = WRITE_NEXT_TICK | READ_NEXT_TICK;
    var TICKING = ACTIVE_OR_TICKING & NOT_ACTIVE;
    var IS_OPENING = OPEN_STATUS | TICKING;
    var READ_PRIMARY_STATUS = OPEN_STATUS | READ_ENDING | READ_DONE;
    var READ_STATUS = OPEN_STATUS | READ_DONE | READ_QUEUED;
    var READ_ENDING_STATUS = OPEN_STATUS | READ_ENDING | READ_QUEUED;
    var READ_READABLE_STATUS = OPEN_STATUS | READ_EMIT_READABLE | READ_QUEUED | READ_EMITTED_READABLE;
    var SHOULD_NOT_READ = OPEN_STATUS | READ_ACTIVE | READ_ENDING | READ_DONE | READ_NEEDS_PUSH | READ_READ_AHEAD;
    var READ_BACKPRESSURE_STATUS = DESTROY_STATUS | READ_ENDING | READ_DONE;
    var READ_UPDATE_SYNC_STATUS = READ_UPDATING | OPEN_STATUS | READ_NEXT_TICK | READ_PRIMARY;
    var READ_NEXT_TICK_OR_OPENING = READ_NEXT_TICK | OPENING;
    var WRITE_PRIMARY_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_DONE;
    var WRITE_QUEUED_AND_UNDRAINED = WRITE_QUEUED | WRITE_UNDRAINED;
    var WRITE_QUEUED_AND_ACTIVE = WRITE_QUEUED | WRITE_ACTIVE;
    var WRITE_DRAIN_STATUS = WRITE_QUEUED | WRITE_UNDRAINED | OPEN_STATUS | WRITE_ACTIVE;
    var WRITE_STATUS = OPEN_STATUS | WRITE_ACTIVE | WRITE_QUEUED | WRITE_CORKED;
    var WRITE_PRIMARY_AND_ACTIVE = WRITE_PRIMARY | WRITE_ACTIVE;
    var WRITE_ACTIVE_AND_WRITING = WRITE_ACTIVE | WRITE_WRITING;
    var WRITE_FINISHING_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_QUEUED_AND_ACTIVE | WRITE_DONE;
    var WRITE_BACKPRESSURE_STATUS = WRITE_UNDRAINED | DESTROY_STATUS | WRITE_FINISHING | WRITE_DONE;
    var WRITE_UPDATE_SYNC_STATUS = WRITE_UPDATING | OPEN_STATUS | WRITE_NEXT_TICK | WRITE_PRIMARY;
    var WRITE_DROP_DATA = WRITE_FINISHING | WRITE_DONE | DESTROY_STATUS;
    var asyncIterator = Symbol.asyncIterator || /* @__PURE__ */ Symbol("asyncIterator");
    var WritableState = class {
      constructor(stream, { highWaterMark = 16384, map = null, mapWritable, byteLength, byteLengthWritable } = {}) {
        this.stream = stream;
        this.queue = new FIFO();
        this.highWaterMark = highWaterMark;
        this.buffered = 0;
        this.error = null;
        this.pipeline = null;
        this.drains = null;
        this.byteLength = byteLengthWritable || byteLength || defaultByteLength;
        this.map = mapWritable || map;
        this.afterWrite = afterWrite.bind(this);
        this.afterUpdateNextTick = updateWriteNT.bind(this);
      }
      get ending() {
        return (this.stream._duplexState & WRITE_FINISHING) !== 0;
      }
      get ended() {
        return (this.stream._duplexState & WRITE_DONE) !== 0;
      }
      push(data) {
        if ((this.stream._duplexState & WRITE_DROP_DATA) !== 0) return false;
        if (this.map !== null) data = this.map(data);
        this.buffered += this.byteLength(data);
        this.queue.push(data);
        if (this.buffered < this.highWaterMark) {
          this.stream._duplexState |= WRITE_QUEUED;
          return true;
        }
        this.stream._duplexState |= WRITE_QUEUED_AND_UNDRAINED;
        return false;
      }
      shift() {
        const data = this.queue.shift();
        this.buffered -= this.byteLength(data);
        if (this.buffered === 0) this.stream._duplexState &= WRITE_NOT_QUEUED;
        return data;
      }
      end(data) {
        if (typeof data === "function") {
          this.stream.once("finish", data);
        } else if (data !== void 0 && data !== null) {
          this.push(data);
        }
        this.stream._duplexState = (this.stream._duplexState | WRITE_FINISHING) & WRITE_NON_PRIMARY;
      }
      autoBatch(data, cb) {
        const buffer = [];
        const stream = this.stream;
        buffer.push(data);
        while ((stream._duplexState & WRITE_STATUS) === WRITE_QUEUED_AND_ACTIVE) {
          buffer.push(stream._writableState.shift());
        }
        if ((stream._duplexState & OPEN_STATUS) !== 0) return cb(null);
        stream._writev(buffer, cb);
      }
      update() {
        const stream = this.stream;
        stream._duplexState |= WRITE_UPDATING;
        do {
          while ((stream._duplexState & WRITE_STATUS) === WRITE_QUEUED) {
            const data = this.shift();
            stream._duplexState |= WRITE_ACTIVE_AND_WRITING;
            stream._write(data, this.afterWrite);
          }
          if ((stream._duplexState & WRITE_PRIMARY_AND_ACTIVE) === 0) this.updateNonPrimary();
        } while (this.continueUpdate() === true);
        stream._duplexState &= WRITE_NOT_UPDATING;
      }
      updateNonPrimary() {
        const stream = this.stream;
        if ((stream._duplexState & WRITE_FINISHING_STATUS) === WRITE_FINISHING) {
          stream._duplexState = stream._duplexState | WRITE_ACTIVE;
          stream._final(afterFinal.bind(this));
          return;
        }
        if ((stream._duplexState & DESTROY_STATUS) === DESTROYING) {
          if ((stream._duplexState & ACTIVE_OR_TICKING) === 0) {
            stream._duplexState |= ACTIVE;
            stream._destroy(afterDestroy.bind(this));
          }
          return;
        }
        if ((stream._duplexState & IS_OPENING) === OPENING) {
          stream._duplexState = (stream._duplexState | ACTIVE) & NOT_OPENING;
          stream._open(afterOpen.bind(this));
        }
      }
      continueUpdate() {
        if ((this.stream._duplexState & WRITE_NEXT_TICK) === 0) return false;
        this.stream._duplexState &= WRITE_NOT_NEXT_TICK;
        return true;
      }
      updateCallback() {
        if ((this.stream._duplexState & WRITE_UPDATE_SYNC_STATUS) === WRITE_PRIMARY) {
          this.update();
        } else {
          this.updateNextTick();
        }
      }
      updateNextTick() {
        if ((this.stream._duplexState & WRITE_NEXT_TICK) !== 0) return;
        this.stream._duplexState |= WRITE_NEXT_TICK;
        if ((this.stream._duplexState & WRITE_UPDATING) === 0) qmt(this.afterUpdateNextTick);
      }
    };
    var ReadableState = class {
      constructor(stream, { highWaterMark = 16384, map = null, mapReadable, byteLength, byteLengthReadable } = {}) {
        this.stream = stream;
        this.queue = new FIFO();
        this.highWaterMark = highWaterMark === 0 ? 1 : highWaterMark;
        this.buffered = 0;
        this.readAhead = highWaterMark > 0;
        this.error = null;
        this.pipeline = null;
        this.byteLength = byteLengthReadable || byteLength || defaultByteLength;
        this.map = mapReadable || map;
        this.pipeTo = null;
        this.afterRead = afterRead.bind(this);
        this.afterUpdateNextTick = updateReadNT.bind(this);
      }
      get ending() {
        return (this.stream._duplexState & READ_ENDING) !== 0;
      }
      get ended() {
        return (this.stream._duplexState & READ_DONE) !== 0;
      }
      pipe(pipeTo, cb) {
        if (this.pipeTo !== null) throw StreamError.BAD_ARGUMENT("Can only pipe to one destination");
        if (typeof cb !== "function") cb = null;
        this.stream._duplexState |= READ_PIPE_DRAINED;
        this.pipeTo = pipeTo;
        this.pipeline = new Pipeline(this.stream, pipeTo, cb);
        if (cb) this.stream.on("error", noop);
        if (isStreamx(pipeTo)) {
          pipeTo._writableState.pipeline = this.pipeline;
          if (cb) pipeTo.on("error", noop);
          pipeTo.on("finish", this.pipeline.finished.bind(this.pipeline));
        } else {
          const onerror = this.pipeline.done.bind(this.pipeline, pipeTo);
          const onclose = this.pipeline.done.bind(this.pipeline, pipeTo, null);
          pipeTo.on("error", onerror);
          pipeTo.on("close", onclose);
          pipeTo.on("finish", this.pipeline.finished.bind(this.pipeline));
        }
        pipeTo.on("drain", afterDrain.bind(this));
        this.stream.emit("piping", pipeTo);
        pipeTo.emit("pipe", this.stream);
      }
      push(data) {
        const stream = this.stream;
        if (data === null) {
          this.highWaterMark = 0;
          stream._duplexState = (stream._duplexState | READ_ENDING) & READ_NON_PRIMARY_AND_PUSHED;
          return false;
        }
        if (this.map !== null) {
          data = this.map(data);
          if (data === null) {
            stream._duplexState &= READ_PUSHED;
            return this.buffered < this.highWaterMark;
          }
        }
        this.buffered += this.byteLength(data);
        this.queue.push(data);
        stream._duplexState = (stream._duplexState | READ_QUEUED) & READ_PUSHED;
        return this.buffered < this.highWaterMark;
      }
      shift() {
        const data = this.queue.shift();
        this.buffered -= this.byteLength(data);
        if (this.buffered === 0) {
          this.stream._duplexState &= READ_NOT_QUEUED;
        }
        return data;
      }
      unshift(data) {
        const pending = [this.map !== null ? this.map(data) : data];
        while (this.buffered > 0) pending.push(this.shift());
        for (let i = 0; i < pending.length - 1; i++) {
          const data2 = pending[i];
          this.buffered += this.byteLength(data2);
          this.queue.push(data2);
        }
        this.push(pending[pending.length - 1]);
      }
      read() {
        const stream = this.stream;
        if ((stream._duplexState & READ_STATUS) === READ_QUEUED) {
          const data = this.shift();
          if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
            stream._duplexState &= READ_PIPE_NOT_DRAINED;
          }
          if ((stream._duplexState & READ_EMIT_DATA) !== 0) {
            stream.emit("data", data);
          }
          return data;
        }
        if (this.readAhead === false) {
          stream._duplexState |= READ_READ_AHEAD;
          this.updateNextTick();
        }
        return null;
      }
      drain() {
        const stream = this.stream;
        while ((stream._duplexState & READ_STATUS) === READ_QUEUED && (stream._duplexState & READ_FLOWING) !== 0) {
          const data = this.shift();
          if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
            stream._duplexState &= READ_PIPE_NOT_DRAINED;
          }
          if ((stream._duplexState & READ_EMIT_DATA) !== 0) {
            stream.emit("data", data);
          }
        }
      }
      update() {
        const stream = this.stream;
        stream._duplexState |= READ_UPDATING;
        do {
          this.drain();
          while (this.buffered < this.highWaterMark && (stream._duplexState & SHOULD_NOT_READ) === READ_READ_AHEAD) {
            stream._duplexState |= READ_ACTIVE_AND_NEEDS_PUSH;
            stream._read(this.afterRead);
            this.drain();
          }
          if ((stream._duplexState & READ_READABLE_STATUS) === READ_EMIT_READABLE_AND_QUEUED) {
            stream._duplexState |= READ_EMITTED_READABLE;
            stream.emit("readable");
          }
          if ((stream._duplexState & READ_PRIMARY_AND_ACTIVE) === 0) {
            this.updateNonPrimary();
          }
        } while (this.continueUpdate() === true);
        stream._duplexState &= READ_NOT_UPDATING;
      }
      updateNonPrimary() {
        const stream = this.stream;
        if ((stream._duplexState & READ_ENDING_STATUS) === READ_ENDING) {
          stream._duplexState = (stream._duplexState | READ_DONE) & READ_NOT_ENDING;
          stream.emit("end");
          if ((stream._duplexState & AUTO_DESTROY) === DONE) {
            stream._duplexState |= DESTROYING;
          }
          if (this.pipeTo !== null) {
            this.pipeTo.end();
          }
        }
        if ((stream._duplexState & DESTROY_STATUS) === DESTROYING) {
          if ((stream._duplexState & ACTIVE_OR_TICKING) === 0) {
            stream._duplexState |= ACTIVE;
            stream._destroy(afterDestroy.bind(this));
          }
          return;
        }
        if ((stream._duplexState & IS_OPENING) === OPENING) {
          stream._duplexState = (stream._duplexState | ACTIVE) & NOT_OPENING;
          stream._open(afterOpen.bind(this));
        }
      }
      continueUpdate() {
        if ((this.stream._duplexState & READ_NEXT_TICK) === 0) return false;
        this.stream._duplexState &= READ_NOT_NEXT_TICK;
        return true;
      }
      updateCallback() {
        if ((this.stream._duplexState & READ_UPDATE_SYNC_STATUS) === READ_PRIMARY) {
          this.update();
        } else {
          this.updateNextTick();
        }
      }
      updateNextTickIfOpen() {
        if ((this.stream._duplexState & READ_NEXT_TICK_OR_OPENING) !== 0) return;
        this.stream._duplexState |= READ_NEXT_TICK;
        if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick);
      }
      updateNextTick() {
        if ((this.stream._duplexState & READ_NEXT_TICK) !== 0) return;
        this.stream._duplexState |= READ_NEXT_TICK;
        if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick);
      }
    };
    var TransformState = class {
      constructor(stream) {
        this.data = null;
        this.afterTransform = afterTransform.bind(stream);
        this.afterFinal = null;
      }
    };
    var Pipeline = class {
      constructor(src, dst, cb) {
        this.from = src;
        this.to = dst;
        this.afterPipe = cb;
        this.error = null;
        this.pipeToFinished = false;
      }
      finished() {
        this.pipeToFinished = true;
      }
      done(stream, err) {
        if (err) this.error = err;
        if (stream === this.to) {
          this.to = null;
          if (this.from !== null) {
            if ((this.from._duplexState & READ_DONE) === 0 || !this.pipeToFinished) {
              this.from.destroy(this.error || StreamError.PREMATURE_CLOSE("Writable stream closed"));
            }
            return;
          }
        }
        if (stream === this.from) {
          this.from = null;
          if (this.to !== null) {
            if ((stream._duplexState & READ_DONE) === 0) {
              this.to.destroy(this.error || StreamError.PREMATURE_CLOSE("Readable stream closed"));
            }
            return;
          }
        }
        if (this.afterPipe !== null) this.afterPipe(this.error);
        this.to = this.from = this.afterPipe = null;
      }
    };
    function afterDrain() {
      this.stream._duplexState |= READ_PIPE_DRAINED;
      this.updateCallback();
    }
    function afterFinal(err) {
      const stream = this.stream;
      if (err) stream.destroy(err);
      if ((stream._duplexState & DESTROY_STATUS) === 0) {
        stream._duplexState |= WRITE_DONE;
        stream.emit("finish");
      }
      if ((stream._duplexState & AUTO_DESTROY) === DONE) {
        stream._duplexState |= DESTROYING;
      }
      stream._duplexState &= WRITE_NOT_FINISHING;
      if ((stream._duplexState & WRITE_UPDATING) === 0) {
        this.update();
      } else {
        this.updateNextTick();
      }
    }
    function afterDestroy(err) {
      const stream = this.stream;
      if (!err && !StreamError.isStreamDestroyed(this.error)) err = this.error;
      if (err) stream.emit("error", err);
      stream._duplexState |= DESTROYED;
      stream.emit("close");
      const rs = stream._readableState;
      const ws = stream._writableState;
      if (rs !== null && rs.pipeline !== null) {
        rs.pipeline.done(stream, err);
      }
      if (ws !== null) {
        while (ws.drains !== null && ws.drains.length > 0) {
          ws.drains.shift().resolve(false);
        }
        if (ws.pipeline !== null) {
          ws.pipeline.done(stream, err);
        }
      }
    }
    function afterWrite(err) {
      const stream = this.stream;
      if (err) stream.destroy(err);
      stream._duplexState &= WRITE_NOT_ACTIVE;
      if (this.drains !== null) tickDrains(this.drains);
      if ((stream._duplexState & WRITE_DRAIN_STATUS) === WRITE_UNDRAINED) {
        stream._duplexState &= WRITE_DRAINED;
        if ((stream._duplexState & WRITE_EMIT_DRAIN) === WRITE_EMIT_DRAIN) {
          stream.emit("drain");
        }
      }
      this.updateCallback();
    }
    function afterRead(err) {
      if (err) this.stream.destroy(err);
      this.stream._duplexState &= READ_NOT_ACTIVE;
      if (this.readAhead === false && (this.stream._duplexState & READ_RESUMED) === 0) {
        this.stream._duplexState &= READ_NO_READ_AHEAD;
      }
      this.updateCallback();
    }
    function updateReadNT() {
      if ((this.stream._duplexState & READ_UPDATING) === 0) {
        this.stream._duplexState &= READ_NOT_NEXT_TICK;
        this.update();
      }
    }
    function updateWriteNT() {
      if ((this.stream._duplexState & WRITE_UPDATING) === 0) {
        this.stream._duplexState &= WRITE_NOT_NEXT_TICK;
        this.update();
      }
    }
    function tickDrains(drains) {
      for (let i = 0; i < drains.length; i++) {
        if (--drains[i].writes === 0) {
          drains.shift().resolve(true);
          i--;
        }
      }
    }
    function afterOpen(err) {
      const stream = this.stream;
      if (err) stream.destroy(err);
      if ((stream._duplexState & DESTROYING) === 0) {
        if ((stream._duplexState & READ_PRIMARY_STATUS) === 0) {
          stream._duplexState |= READ_PRIMARY;
        }
        if ((stream._duplexState & WRITE_PRIMARY_STATUS) === 0) {
          stream._duplexState |= WRITE_PRIMARY;
        }
        stream.emit("open");
      }
      stream._duplexState &= NOT_ACTIVE;
      if (stream._writableState !== null) {
        stream._writableState.updateCallback();
      }
      if (stream._readableState !== null) {
        stream._readableState.updateCallback();
      }
    }
    function afterTransform(err, data) {
      if (data !== void 0 && data !== null) this.push(data);
      this._writableState.afterWrite(err);
    }
    function newListener(name) {
      if (this._readableState !== null) {
        if (name === "data") {
          this._duplexState |= READ_EMIT_DATA | READ_RESUMED_READ_AHEAD;
          this._readableState.updateNextTick();
        }
        if (name === "readable") {
          this._duplexState |= READ_EMIT_READABLE;
          this._readableState.updateNextTick();
        }
      }
      if (this._writableState !== null) {
        if (name === "drain") {
          this._duplexState |= WRITE_EMIT_DRAIN;
          this._writableState.updateNextTick();
        }
      }
    }
    var Stream = class extends EventEmitter {
      constructor(opts) {
        super();
        this._duplexState = 0;
        this._readableState = null;
        this._writableState = null;
        if (opts) {
          if (opts.open) this._open = opts.open;
          if (opts.destroy) this._destroy = opts.destroy;
          if (opts.predestroy) this._predestroy = opts.predestroy;
          if (opts.signal) opts.signal.addEventListener("abort", abort.bind(this));
        }
        this.on("newListener", newListener);
      }
      _open(cb) {
        cb(null);
      }
      _destroy(cb) {
        cb(null);
      }
      _predestroy() {
      }
      get readable() {
        return this._readableState !== null ? true : void 0;
      }
      get writable() {
        return this._writableState !== null ? true : void 0;
      }
      get destroyed() {
        return (this._duplexState & DESTROYED) !== 0;
      }
      get destroying() {
        return (this._duplexState & DESTROY_STATUS) !== 0;
      }
      destroy(err) {
        if ((this._duplexState & DESTROY_STATUS) === 0) {
          if (!err) err = StreamError.STREAM_DESTROYED();
          this._duplexState = (this._duplexState | DESTROYING) & NON_PRIMARY;
          if (this._readableState !== null) {
            this._readableState.highWaterMark = 0;
            this._readableState.error = err;
          }
          if (this._writableState !== null) {
            this._writableState.highWaterMark = 0;
            this._writableState.error = err;
          }
          this._duplexState |= PREDESTROYING;
          this._predestroy();
          this._duplexState &= NOT_PREDESTROYING;
          if (this._readableState !== null) {
            this._readableState.updateNextTick();
          }
          if (this._writableState !== null) {
            this._writableState.updateNextTick();
          }
        }
      }
    };
    var Readable = class _Readable extends Stream {
      constructor(opts) {
        super(opts);
        this._duplexState |= OPENING | WRITE_DONE | READ_READ_AHEAD;
        this._readableState = new ReadableState(this, opts);
        if (opts) {
          if (this._readableState.readAhead === false) this._duplexState &= READ_NO_READ_AHEAD;
          if (opts.read) this._read = opts.read;
          if (opts.eagerOpen) this._readableState.updateNextTick();
          if (opts.encoding) this.setEncoding(opts.encoding);
        }
      }
      static deferred(fn, opts) {
        const out = new PassThrough(opts);
        fn().then((src) => {
          if (src === null) return out.end();
          if (out.destroying) return;
          pipeline3(src, out, noop);
        }).catch((err) => out.destroy(err));
        return out;
      }
      setEncoding(encoding) {
        const dec = new TextDecoder(encoding);
        const map = this._readableState.map || echo;
        this._readableState.map = mapOrSkip;
        return this;
        function mapOrSkip(data) {
          const next = dec.push(data);
          return next === "" && (data.byteLength !== 0 || dec.remaining > 0) ? null : map(next);
        }
      }
      _read(cb) {
        cb(null);
      }
      pipe(dest, cb) {
        this._readableState.updateNextTick();
        this._readableState.pipe(dest, cb);
        return dest;
      }
      read() {
        this._readableState.updateNextTick();
        return this._readableState.read();
      }
      push(data) {
        this._readableState.updateNextTickIfOpen();
        return this._readableState.push(data);
      }
      unshift(data) {
        this._readableState.updateNextTickIfOpen();
        return this._readableState.unshift(data);
      }
      resume() {
        this._duplexState |= READ_RESUMED_READ_AHEAD;
        this._readableState.updateNextTick();
        return this;
      }
      pause() {
        this._duplexState &= this._readableState.readAhead === false ? READ_PAUSED_NO_READ_AHEAD : READ_PAUSED;
        return this;
      }
      static _fromAsyncIterator(ite, opts) {
        let destroy;
        const rs = new _Readable({
          ...opts,
          read(cb) {
            ite.next().then(push).then(cb.bind(null, null)).catch(cb);
          },
          predestroy() {
            destroy = ite.return();
          },
          destroy(cb) {
            if (!destroy) return cb(null);
            destroy.then(cb.bind(null, null)).catch(cb);
          }
        });
        return rs;
        function push(data) {
          if (data.done) rs.push(null);
          else rs.push(data.value);
        }
      }
      static from(data, opts) {
        if (isReadStreamx(data)) return data;
        if (data[asyncIterator]) return this._fromAsyncIterator(data[asyncIterator](), opts);
        if (!Array.isArray(data)) data = data === void 0 ? [] : [data];
        let i = 0;
        return new _Readable({
          ...opts,
          read(cb) {
            this.push(i === data.length ? null : data[i++]);
            cb(null);
          }
        });
      }
      static isBackpressured(rs) {
        return (rs._duplexState & READ_BACKPRESSURE_STATUS) !== 0 || rs._readableState.buffered >= rs._readableState.highWaterMark;
      }
      static isPaused(rs) {
        return (rs._duplexState & READ_RESUMED) === 0;
      }
      [asyncIterator]() {
        const stream = this;
        let error = null;
        let promiseResolve = null;
        let promiseReject = null;
        this.on("error", (err) => {
          error = err;
        });
        this.on("readable", onreadable);
        this.on("close", onclose);
        return {
          [asyncIterator]() {
            return this;
          },
          next() {
            return new Promise(function(resolve2, reject) {
              promiseResolve = resolve2;
              promiseReject = reject;
              const data = stream.read();
              if (data !== null) ondata(data);
              else if ((stream._duplexState & DESTROYED) !== 0) ondata(null);
            });
          },
          return() {
            return destroy(null);
          },
          throw(err) {
            return destroy(err);
          }
        };
        function onreadable() {
          if (promiseResolve !== null) ondata(stream.read());
        }
        function onclose() {
          if (promiseResolve !== null) ondata(null);
        }
        function ondata(data) {
          if (promiseReject === null) return;
          if (error) {
            promiseReject(error);
          } else if (data === null && (stream._duplexState & READ_DONE) === 0) {
            promiseReject(StreamError.STREAM_DESTROYED());
          } else {
            promiseResolve({ value: data, done: data === null });
          }
          promiseReject = promiseResolve = null;
        }
        function destroy(err) {
          stream.destroy(err);
          return new Promise((resolve2, reject) => {
            if (stream._duplexState & DESTROYED) return resolve2({ value: void 0, done: true });
            stream.once("close", function() {
              if (err) reject(err);
              else resolve2({ value: void 0, done: true });
            });
          });
        }
      }
    };
    var Writable = class extends Stream {
      constructor(opts) {
        super(opts);
        this._duplexState |= OPENING | READ_DONE;
        this._writableState = new WritableState(this, opts);
        if (opts) {
          if (opts.writev) this._writev = opts.writev;
          if (opts.write) this._write = opts.write;
          if (opts.final) this._final = opts.final;
          if (opts.eagerOpen) this._writableState.updateNextTick();
        }
      }
      cork() {
        this._duplexState |= WRITE_CORKED;
      }
      uncork() {
        this._duplexState &= WRITE_NOT_CORKED;
        this._writableState.updateNextTick();
      }
      _writev(batch, cb) {
        cb(null);
      }
      _write(data, cb) {
        this._writableState.autoBatch(data, cb);
      }
      _final(cb) {
        cb(null);
      }
      static isBackpressured(ws) {
        return (ws._duplexState & WRITE_BACKPRESSURE_STATUS) !== 0;
      }
      static drained(ws) {
        if (ws.destroyed) return Promise.resolve(false);
        const state = ws._writableState;
        const pending = isWritev(ws) ? Math.min(1, state.queue.length) : state.queue.length;
        const writes = pending + (ws._duplexState & WRITE_WRITING ? 1 : 0);
        if (writes === 0) return Promise.resolve(true);
        if (state.drains === null) state.drains = [];
        return new Promise((resolve2) => {
          state.drains.push({ writes, resolve: resolve2 });
        });
      }
      write(data) {
        this._writableState.updateNextTick();
        return this._writableState.push(data);
      }
      end(data) {
        this._writableState.updateNextTick();
        this._writableState.end(data);
        return this;
      }
    };
    var Duplex = class extends Readable {
      // and Writable
      constructor(opts) {
        super(opts);
        this._duplexState = OPENING | this._duplexState & READ_READ_AHEAD;
        this._writableState = new WritableState(this, opts);
        if (opts) {
          if (opts.writev) this._writev = opts.writev;
          if (opts.write) this._write = opts.write;
          if (opts.final) this._final = opts.final;
        }
      }
      cork() {
        this._duplexState |= WRITE_CORKED;
      }
      uncork() {
        this._duplexState &= WRITE_NOT_CORKED;
        this._writableState.updateNextTick();
      }
      _writev(batch, cb) {
        cb(null);
      }
      _write(data, cb) {
        this._writableState.autoBatch(data, cb);
      }
      _final(cb) {
        cb(null);
      }
      write(data) {
        this._writableState.updateNextTick();
        return this._writableState.push(data);
      }
      end(data) {
        this._writableState.updateNextTick();
        this._writableState.end(data);
        return this;
      }
    };
    var Transform3 = class extends Duplex {
      constructor(opts) {
        super(opts);
        this._transformState = new TransformState(this);
        if (opts) {
          if (opts.transform) this._transform = opts.transform;
          if (opts.flush) this._flush = opts.flush;
        }
      }
      _write(data, cb) {
        if (this._readableState.buffered >= this._readableState.highWaterMark) {
          this._transformState.data = data;
        } else {
          this._transform(data, this._transformState.afterTransform);
        }
      }
      _read(cb) {
        if (this._transformState.data !== null) {
          const data = this._transformState.data;
          this._transformState.data = null;
          cb(null);
          this._transform(data, this._transformState.afterTransform);
        } else {
          cb(null);
        }
      }
      destroy(err) {
        super.destroy(err);
        if (this._transformState.data !== null) {
          this._transformState.data = null;
          this._transformState.afterTransform();
        }
      }
      _transform(data, cb) {
        cb(null, data);
      }
      _flush(cb) {
        cb(null);
      }
      _final(cb) {
        this._transformState.afterFinal = cb;
        this._flush(transformAfterFlush.bind(this));
      }
    };
    var PassThrough = class extends Transform3 {
    };
    function transformAfterFlush(err, data) {
      const cb = this._transformState.afterFinal;
      if (err) return cb(err);
      if (data !== null && data !== void 0) this.push(data);
      this.push(null);
      cb(null);
    }
    function pipelinePromise(...streams) {
      return new Promise((resolve2, reject) => {
        return pipeline3(...streams, (err) => {
          if (err) return reject(err);
          resolve2();
        });
      });
    }
    function pipeline3(stream, ...streams) {
      const all = Array.isArray(stream) ? [...stream, ...streams] : [stream, ...streams];
      const done = all.length && typeof all[all.length - 1] === "function" ? all.pop() : null;
      if (all.length < 2) throw StreamError.BAD_ARGUMENT("Pipeline requires at least 2 streams");
      let src = all[0];
      let dest = null;
      let error = null;
      for (let i = 1; i < all.length; i++) {
        dest = all[i];
        if (isStreamx(src)) {
          src.pipe(dest, onerror);
        } else {
          errorHandle(src, true, i > 1, onerror);
          src.pipe(dest);
        }
        src = dest;
      }
      if (done) {
        let fin = false;
        const autoDestroy = isStreamx(dest) || !!(dest._writableState && dest._writableState.autoDestroy);
        dest.on("error", (err) => {
          if (error === null) error = err;
        });
        dest.on("finish", () => {
          fin = true;
          if (!autoDestroy) done(error);
        });
        if (autoDestroy) {
          dest.on("close", () => done(error || (fin ? null : StreamError.PREMATURE_CLOSE())));
        }
      }
      return dest;
      function errorHandle(s, rd, wr, onerror2) {
        s.on("error", onerror2);
        s.on("close", onclose);
        function onclose() {
          if (rd && s._readableState && !s._readableState.ended) {
            return onerror2(StreamError.PREMATURE_CLOSE());
          }
          if (wr && s._writableState && !s._writableState.ended) {
            return onerror2(StreamError.PREMATURE_CLOSE());
          }
        }
      }
      function onerror(err) {
        if (!err || error) return;
        error = err;
        for (const s of all) {
          s.destroy(err);
        }
      }
    }
    function echo(s) {
      return s;
    }
    function isStream(stream) {
      return !!stream._readableState || !!stream._writableState;
    }
    function isStreamx(stream) {
      return typeof stream._duplexState === "number" && isStream(stream);
    }
    function isEnding(stream) {
      return !!stream._readableState && stream._readableState.ending;
    }
    function isEnded(stream) {
      return !!stream._readableState && stream._readableState.ended;
    }
    function isFinishing(stream) {
      return !!stream._writableState && stream._writableState.ending;
    }
    function isFinished(stream) {
      return !!stream._writableState && stream._writableState.ended;
    }
    function getStreamError(stream, opts = {}) {
      const err = stream._readableState && stream._readableState.error || stream._writableState && stream._writableState.error;
      return !opts.all && StreamError.isStreamDestroyed(err) ? null : err;
    }
    function isReadStreamx(stream) {
      return isStreamx(stream) && stream.readable;
    }
    function isDisturbed(stream) {
      return (stream._duplexState & OPENING) !== OPENING || (stream._duplexState & DESTROYING) === DESTROYING || (stream._duplexState & ACTIVE_OR_TICKING) !== 0;
    }
    function isTypedArray(data) {
      return typeof data === "object" && data !== null && typeof data.byteLength === "number";
    }
    function defaultByteLength(data) {
      return isTypedArray(data) ? data.byteLength : 1024;
    }
    function noop() {
    }
    function abort() {
      this.destroy(StreamError.ABORTED());
    }
    function isWritev(s) {
      return s._writev !== Writable.prototype._writev && s._writev !== Duplex.prototype._writev;
    }
    module.exports = {
      pipeline: pipeline3,
      pipelinePromise,
      isStream,
      isStreamx,
      isEnding,
      isEnded,
      isFinishing,
      isFinished,
      isDisturbed,
      getStreamError,
      Stream,
      Writable,
      Readable,
      Duplex,
      Transform: Transform3,
      // Export PassThrough for compatibility with Node.js core's stream module
      PassThrough
    };
  }
});

// node_modules/tar-stream/headers.js
var require_headers = __commonJS({
  "node_modules/tar-stream/headers.js"(exports) {
    var b4a = require_b4a();
    var ZEROS = "0000000000000000000";
    var SEVENS = "7777777777777777777";
    var ZERO_OFFSET = "0".charCodeAt(0);
    var USTAR_MAGIC = b4a.from([117, 115, 116, 97, 114, 0]);
    var USTAR_VER = b4a.from([ZERO_OFFSET, ZERO_OFFSET]);
    var GNU_MAGIC = b4a.from([117, 115, 116, 97, 114, 32]);
    var GNU_VER = b4a.from([32, 0]);
    var MASK = 4095;
    var MAGIC_OFFSET = 257;
    var VERSION_OFFSET = 263;
    exports.decodeLongPath = function decodeLongPath(buf, encoding) {
      return decodeStr(buf, 0, buf.length, encoding);
    };
    exports.encodePax = function encodePax(opts) {
      let result = "";
      if (opts.name) result += addLength(" path=" + opts.name + "\n");
      if (opts.linkname) result += addLength(" linkpath=" + opts.linkname + "\n");
      const pax = opts.pax;
      if (pax) {
        for (const key in pax) {
          result += addLength(" " + key + "=" + pax[key] + "\n");
        }
      }
      return b4a.from(result);
    };
    exports.decodePax = function decodePax(buf) {
      const result = {};
      while (buf.length) {
        let i = 0;
        while (i < buf.length && buf[i] !== 32) i++;
        const len = parseInt(b4a.toString(buf.subarray(0, i)), 10);
        if (!len) return result;
        const b = b4a.toString(buf.subarray(i + 1, len - 1));
        const keyIndex = b.indexOf("=");
        if (keyIndex === -1) return result;
        result[b.slice(0, keyIndex)] = b.slice(keyIndex + 1);
        buf = buf.subarray(len);
      }
      return result;
    };
    exports.encode = function encode(opts) {
      const buf = b4a.alloc(512);
      let name = opts.name;
      let prefix = "";
      if (opts.typeflag === 5 && name[name.length - 1] !== "/") name += "/";
      if (b4a.byteLength(name) !== name.length) return null;
      while (b4a.byteLength(name) > 100) {
        const i = name.indexOf("/");
        if (i === -1) return null;
        prefix += prefix ? "/" + name.slice(0, i) : name.slice(0, i);
        name = name.slice(i + 1);
      }
      if (b4a.byteLength(name) > 100 || b4a.byteLength(prefix) > 155) return null;
      if (opts.linkname && b4a.byteLength(opts.linkname) > 100) return null;
      b4a.write(buf, name);
      b4a.write(buf, encodeOct(opts.mode & MASK, 6), 100);
      b4a.write(buf, encodeOct(opts.uid, 6), 108);
      b4a.write(buf, encodeOct(opts.gid, 6), 116);
      encodeSize(opts.size, buf, 124);
      b4a.write(buf, encodeOct(opts.mtime.getTime() / 1e3 | 0, 11), 136);
      buf[156] = ZERO_OFFSET + toTypeflag(opts.type);
      if (opts.linkname) b4a.write(buf, opts.linkname, 157);
      b4a.copy(USTAR_MAGIC, buf, MAGIC_OFFSET);
      b4a.copy(USTAR_VER, buf, VERSION_OFFSET);
      if (opts.uname) b4a.write(buf, opts.uname, 265);
      if (opts.gname) b4a.write(buf, opts.gname, 297);
      b4a.write(buf, encodeOct(opts.devmajor || 0, 6), 329);
      b4a.write(buf, encodeOct(opts.devminor || 0, 6), 337);
      if (prefix) b4a.write(buf, prefix, 345);
      b4a.write(buf, encodeOct(cksum(buf), 6), 148);
      return buf;
    };
    exports.decode = function decode(buf, filenameEncoding, allowUnknownFormat) {
      let typeflag = buf[156] === 0 ? 0 : buf[156] - ZERO_OFFSET;
      let name = decodeStr(buf, 0, 100, filenameEncoding);
      const mode = decodeOct(buf, 100, 8);
      const uid = decodeOct(buf, 108, 8);
      const gid = decodeOct(buf, 116, 8);
      const size = decodeOct(buf, 124, 12);
      const mtime = decodeOct(buf, 136, 12);
      const type = toType(typeflag);
      const linkname = buf[157] === 0 ? null : decodeStr(buf, 157, 100, filenameEncoding);
      const uname = decodeStr(buf, 265, 32);
      const gname = decodeStr(buf, 297, 32);
      const devmajor = decodeOct(buf, 329, 8);
      const devminor = decodeOct(buf, 337, 8);
      const c = cksum(buf);
      if (c === 8 * 32) return null;
      if (c !== decodeOct(buf, 148, 8)) throw new Error("Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?");
      if (isUSTAR(buf)) {
        if (buf[345]) name = decodeStr(buf, 345, 155, filenameEncoding) + "/" + name;
      } else if (isGNU(buf)) {
      } else {
        if (!allowUnknownFormat) {
          throw new Error("Invalid tar header: unknown format.");
        }
      }
      if (typeflag === 0 && name && name[name.length - 1] === "/") typeflag = 5;
      return {
        name,
        mode,
        uid,
        gid,
        size,
        byteOffset: 0,
        mtime: new Date(1e3 * mtime),
        type,
        linkname,
        uname,
        gname,
        devmajor,
        devminor,
        pax: null
      };
    };
    function isUSTAR(buf) {
      return b4a.equals(USTAR_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6));
    }
    function isGNU(buf) {
      return b4a.equals(GNU_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6)) && b4a.equals(GNU_VER, buf.subarray(VERSION_OFFSET, VERSION_OFFSET + 2));
    }
    function clamp(index, len, defaultValue) {
      if (typeof index !== "number") return defaultValue;
      index = ~~index;
      if (index >= len) return len;
      if (index >= 0) return index;
      index += len;
      if (index >= 0) return index;
      return 0;
    }
    function toType(flag) {
      switch (flag) {
        case 0:
          return "file";
        case 1:
          return "link";
        case 2:
          return "symlink";
        case 3:
          return "character-device";
        case 4:
          return "block-device";
        case 5:
          return "directory";
        case 6:
          return "fifo";
        case 7:
          return "contiguous-file";
        case 72:
          return "pax-header";
        case 55:
          return "pax-global-header";
        case 27:
          return "gnu-long-link-path";
        case 28:
        case 30:
          return "gnu-long-path";
      }
      return null;
    }
    function toTypeflag(flag) {
      switch (flag) {
        case "file":
          return 0;
        case "link":
          return 1;
        case "symlink":
          return 2;
        case "character-device":
          return 3;
        case "block-device":
          return 4;
        case "directory":
          return 5;
        case "fifo":
          return 6;
        case "contiguous-file":
          return 7;
        case "pax-header":
          return 72;
      }
      return 0;
    }
    function indexOf(block, num, offset, end) {
      for (; offset < end; offset++) {
        if (block[offset] === num) return offset;
      }
      return end;
    }
    function cksum(block) {
      let sum = 8 * 32;
      for (let i = 0; i < 148; i++) sum += block[i];
      for (let j = 156; j < 512; j++) sum += block[j];
      return sum;
    }
    function encodeOct(val, n) {
      val = val.toString(8);
      if (val.length > n) return SEVENS.slice(0, n) + " ";
      return ZEROS.slice(0, n - val.length) + val + " ";
    }
    function encodeSizeBin(num, buf, off) {
      buf[off] = 128;
      for (let i = 11; i > 0; i--) {
        buf[off + i] = num & 255;
        num = Math.floor(num / 256);
      }
    }
    function encodeSize(num, buf, off) {
      if (num.toString(8).length > 11) {
        encodeSizeBin(num, buf, off);
      } else {
        b4a.write(buf, encodeOct(num, 11), off);
      }
    }
    function parse256(buf) {
      let positive;
      if (buf[0] === 128) positive = true;
      else if (buf[0] === 255) positive = false;
      else return null;
      const tuple = [];
      let i;
      for (i = buf.length - 1; i > 0; i--) {
        const byte = buf[i];
        if (positive) tuple.push(byte);
        else tuple.push(255 - byte);
      }
      let sum = 0;
      const l = tuple.length;
      for (i = 0; i < l; i++) {
        sum += tuple[i] * Math.pow(256, i);
      }
      return positive ? sum : -1 * sum;
    }
    function decodeOct(val, offset, length) {
      val = val.subarray(offset, offset + length);
      offset = 0;
      if (val[offset] & 128) {
        return parse256(val);
      } else {
        while (offset < val.length && val[offset] === 32) offset++;
        const end = clamp(indexOf(val, 32, offset, val.length), val.length, val.length);
        while (offset < end && val[offset] === 0) offset++;
        if (end === offset) return 0;
        return parseInt(b4a.toString(val.subarray(offset, end)), 8);
      }
    }
    function decodeStr(val, offset, length, encoding) {
      return b4a.toString(val.subarray(offset, indexOf(val, 0, offset, offset + length)), encoding);
    }
    function addLength(str) {
      const len = b4a.byteLength(str);
      let digits = Math.floor(Math.log(len) / Math.log(10)) + 1;
      if (len + digits >= Math.pow(10, digits)) digits++;
      return len + digits + str;
    }
  }
});

// node_modules/tar-stream/extract.js
var require_extract = __commonJS({
  "node_modules/tar-stream/extract.js"(exports, module) {
    var { Writable, Readable, getStreamError } = require_streamx();
    var FIFO = require_fast_fifo();
    var b4a = require_b4a();
    var headers = require_headers();
    var EMPTY = b4a.alloc(0);
    var MAX_HEADER_SIZE = 4 * 1024 * 1024;
    var BufferList = class {
      constructor() {
        this.buffered = 0;
        this.shifted = 0;
        this.queue = new FIFO();
        this._offset = 0;
      }
      push(buffer) {
        this.buffered += buffer.byteLength;
        this.queue.push(buffer);
      }
      shiftFirst(size) {
        return this.buffered === 0 ? null : this._next(size);
      }
      shift(size) {
        if (size > this.buffered) return null;
        if (size === 0) return EMPTY;
        let chunk = this._next(size);
        if (size === chunk.byteLength) return chunk;
        const chunks = [chunk];
        while ((size -= chunk.byteLength) > 0) {
          chunk = this._next(size);
          chunks.push(chunk);
        }
        return b4a.concat(chunks);
      }
      _next(size) {
        const buf = this.queue.peek();
        const rem = buf.byteLength - this._offset;
        if (size >= rem) {
          const sub = this._offset ? buf.subarray(this._offset, buf.byteLength) : buf;
          this.queue.shift();
          this._offset = 0;
          this.buffered -= rem;
          this.shifted += rem;
          return sub;
        }
        this.buffered -= size;
        this.shifted += size;
        return buf.subarray(this._offset, this._offset += size);
      }
    };
    var Source = class extends Readable {
      constructor(self, header2, offset) {
        super();
        this.header = header2;
        this.offset = offset;
        this._parent = self;
      }
      _read(cb) {
        if (this.header.size === 0) {
          this.push(null);
        }
        if (this._parent._stream === this) {
          this._parent._update();
        }
        cb(null);
      }
      _predestroy() {
        this._parent.destroy(getStreamError(this));
      }
      _detach() {
        if (this._parent._stream === this) {
          this._parent._stream = null;
          this._parent._missing = overflow(this.header.size);
          this._parent._update();
        }
      }
      _destroy(cb) {
        this._detach();
        cb(null);
      }
    };
    var Extract = class extends Writable {
      constructor(opts) {
        super(opts);
        if (!opts) opts = {};
        this._buffer = new BufferList();
        this._offset = 0;
        this._header = null;
        this._stream = null;
        this._missing = 0;
        this._longHeader = false;
        this._callback = noop;
        this._locked = false;
        this._finished = false;
        this._pax = null;
        this._paxGlobal = null;
        this._gnuLongPath = null;
        this._gnuLongLinkPath = null;
        this._filenameEncoding = opts.filenameEncoding || "utf-8";
        this._allowUnknownFormat = !!opts.allowUnknownFormat;
        this._unlockBound = this._unlock.bind(this);
      }
      _unlock(err) {
        this._locked = false;
        if (err) {
          this.destroy(err);
          this._continueWrite(err);
          return;
        }
        this._update();
      }
      _consumeHeader() {
        if (this._locked) return false;
        this._offset = this._buffer.shifted;
        try {
          this._header = headers.decode(this._buffer.shift(512), this._filenameEncoding, this._allowUnknownFormat);
        } catch (err) {
          this._continueWrite(err);
          return false;
        }
        if (!this._header) return true;
        this._header.byteOffset = this._buffer.shifted;
        switch (this._header.type) {
          case "gnu-long-path":
          case "gnu-long-link-path":
          case "pax-global-header":
          case "pax-header":
            this._longHeader = true;
            this._missing = this._header.size;
            if (this._missing > MAX_HEADER_SIZE) {
              this._continueWrite(new Error("Header exceeds max size"));
              return false;
            }
            return true;
        }
        this._locked = true;
        this._applyLongHeaders();
        if (!(this._header.size >= 0)) {
          this._continueWrite(new Error("Invalid header"));
          return false;
        }
        if (this._header.size === 0 || this._header.type === "directory") {
          this.emit("entry", this._header, this._createStream(), this._unlockBound);
          return true;
        }
        this._stream = this._createStream();
        this._missing = this._header.size;
        this.emit("entry", this._header, this._stream, this._unlockBound);
        return true;
      }
      _applyLongHeaders() {
        if (this._gnuLongPath) {
          this._header.name = this._gnuLongPath;
          this._gnuLongPath = null;
        }
        if (this._gnuLongLinkPath) {
          this._header.linkname = this._gnuLongLinkPath;
          this._gnuLongLinkPath = null;
        }
        if (this._pax) {
          if (this._pax.path) this._header.name = this._pax.path;
          if (this._pax.linkpath) this._header.linkname = this._pax.linkpath;
          if (this._pax.size) this._header.size = parseInt(this._pax.size, 10);
          this._header.pax = this._pax;
          this._pax = null;
        }
      }
      _decodeLongHeader(buf) {
        switch (this._header.type) {
          case "gnu-long-path":
            this._gnuLongPath = headers.decodeLongPath(buf, this._filenameEncoding);
            break;
          case "gnu-long-link-path":
            this._gnuLongLinkPath = headers.decodeLongPath(buf, this._filenameEncoding);
            break;
          case "pax-global-header":
            this._paxGlobal = headers.decodePax(buf);
            break;
          case "pax-header":
            this._pax = this._paxGlobal === null ? headers.decodePax(buf) : Object.assign({}, this._paxGlobal, headers.decodePax(buf));
            break;
        }
      }
      _consumeLongHeader() {
        this._longHeader = false;
        this._missing = overflow(this._header.size);
        const buf = this._buffer.shift(this._header.size);
        try {
          this._decodeLongHeader(buf);
        } catch (err) {
          this._continueWrite(err);
          return false;
        }
        return true;
      }
      _consumeStream() {
        const buf = this._buffer.shiftFirst(this._missing);
        if (buf === null) return false;
        this._missing -= buf.byteLength;
        const drained = this._stream.push(buf);
        if (this._missing === 0) {
          this._stream.push(null);
          if (drained) this._stream._detach();
          return drained && this._locked === false;
        }
        return drained;
      }
      _createStream() {
        return new Source(this, this._header, this._offset);
      }
      _update() {
        while (this._buffer.buffered > 0 && !this.destroying) {
          if (this._missing > 0) {
            if (this._stream !== null) {
              if (this._consumeStream() === false) return;
              continue;
            }
            if (this._longHeader === true) {
              if (this._missing > this._buffer.buffered) break;
              if (this._consumeLongHeader() === false) return false;
              continue;
            }
            const ignore = this._buffer.shiftFirst(this._missing);
            if (ignore !== null) this._missing -= ignore.byteLength;
            continue;
          }
          if (this._buffer.buffered < 512) break;
          if (this._stream !== null || this._consumeHeader() === false) return;
        }
        this._continueWrite(null);
      }
      _continueWrite(err) {
        const cb = this._callback;
        this._callback = noop;
        cb(err);
      }
      _write(data, cb) {
        this._callback = cb;
        this._buffer.push(data);
        this._update();
      }
      _final(cb) {
        this._finished = this._missing === 0 && this._buffer.buffered === 0;
        cb(this._finished ? null : new Error("Unexpected end of data"));
      }
      _predestroy() {
        this._continueWrite(null);
      }
      _destroy(cb) {
        if (this._stream) this._stream.destroy(getStreamError(this));
        cb(null);
      }
      [Symbol.asyncIterator]() {
        let error = null;
        let promiseResolve = null;
        let promiseReject = null;
        let entryStream = null;
        let entryCallback = null;
        const extract = this;
        this.on("entry", onentry);
        this.on("error", (err) => {
          error = err;
        });
        this.on("close", onclose);
        return {
          [Symbol.asyncIterator]() {
            return this;
          },
          next() {
            return new Promise(onnext);
          },
          return() {
            return destroy(null);
          },
          throw(err) {
            return destroy(err);
          }
        };
        function consumeCallback(err) {
          if (!entryCallback) return;
          const cb = entryCallback;
          entryCallback = null;
          cb(err);
        }
        function onnext(resolve2, reject) {
          if (error) {
            return reject(error);
          }
          if (entryStream) {
            resolve2({ value: entryStream, done: false });
            entryStream = null;
            return;
          }
          promiseResolve = resolve2;
          promiseReject = reject;
          consumeCallback(null);
          if (extract._finished && promiseResolve) {
            promiseResolve({ value: void 0, done: true });
            promiseResolve = promiseReject = null;
          }
        }
        function onentry(header2, stream, callback) {
          entryCallback = callback;
          stream.on("error", noop);
          if (promiseResolve) {
            promiseResolve({ value: stream, done: false });
            promiseResolve = promiseReject = null;
          } else {
            entryStream = stream;
          }
        }
        function onclose() {
          consumeCallback(error);
          if (!promiseResolve) return;
          if (error) promiseReject(error);
          else promiseResolve({ value: void 0, done: true });
          promiseResolve = promiseReject = null;
        }
        function destroy(err) {
          extract.destroy(err);
          consumeCallback(err);
          return new Promise((resolve2, reject) => {
            if (extract.destroyed) return resolve2({ value: void 0, done: true });
            extract.once("close", function() {
              if (err) reject(err);
              else resolve2({ value: void 0, done: true });
            });
          });
        }
      }
    };
    module.exports = function extract(opts) {
      return new Extract(opts);
    };
    function noop() {
    }
    function overflow(size) {
      size &= 511;
      return size && 512 - size;
    }
  }
});

// node_modules/tar-stream/constants.js
var require_constants = __commonJS({
  "node_modules/tar-stream/constants.js"(exports, module) {
    var constants4 = {
      // just for envs without fs
      S_IFMT: 61440,
      S_IFDIR: 16384,
      S_IFCHR: 8192,
      S_IFBLK: 24576,
      S_IFIFO: 4096,
      S_IFLNK: 40960
    };
    try {
      module.exports = __require("fs").constants || constants4;
    } catch {
      module.exports = constants4;
    }
  }
});

// node_modules/tar-stream/pack.js
var require_pack = __commonJS({
  "node_modules/tar-stream/pack.js"(exports, module) {
    var { Readable, Writable, getStreamError } = require_streamx();
    var b4a = require_b4a();
    var constants4 = require_constants();
    var headers = require_headers();
    var DMODE = 493;
    var FMODE = 420;
    var END_OF_TAR = b4a.alloc(1024);
    var Sink = class extends Writable {
      constructor(pack, header2, callback) {
        super({ mapWritable, eagerOpen: true });
        this.written = 0;
        this.header = header2;
        this._callback = callback;
        this._linkname = null;
        this._isLinkname = header2.type === "symlink" && !header2.linkname;
        this._isVoid = header2.type !== "file" && header2.type !== "contiguous-file";
        this._finished = false;
        this._pack = pack;
        this._openCallback = null;
        if (this._pack._stream === null) this._pack._stream = this;
        else this._pack._pending.push(this);
      }
      _open(cb) {
        this._openCallback = cb;
        if (this._pack._stream === this) this._continueOpen();
      }
      _continuePack(err) {
        if (this._callback === null) return;
        const callback = this._callback;
        this._callback = null;
        callback(err);
      }
      _continueOpen() {
        if (this._pack._stream === null) this._pack._stream = this;
        const cb = this._openCallback;
        this._openCallback = null;
        if (cb === null) return;
        if (this._pack.destroying) return cb(new Error("pack stream destroyed"));
        if (this._pack._finalized) return cb(new Error("pack stream is already finalized"));
        this._pack._stream = this;
        if (!this._isLinkname) {
          this._pack._encode(this.header);
        }
        if (this._isVoid) {
          this._finish();
          this._continuePack(null);
        }
        cb(null);
      }
      _write(data, cb) {
        if (this._isLinkname) {
          this._linkname = this._linkname ? b4a.concat([this._linkname, data]) : data;
          return cb(null);
        }
        if (this._isVoid) {
          if (data.byteLength > 0) {
            return cb(new Error("No body allowed for this entry"));
          }
          return cb();
        }
        this.written += data.byteLength;
        if (this._pack.push(data)) return cb();
        this._pack._drain = cb;
      }
      _finish() {
        if (this._finished) return;
        this._finished = true;
        if (this._isLinkname) {
          this.header.linkname = this._linkname ? b4a.toString(this._linkname, "utf-8") : "";
          this._pack._encode(this.header);
        }
        overflow(this._pack, this.header.size);
        this._pack._done(this);
      }
      _final(cb) {
        if (this.written !== this.header.size) {
          return cb(new Error("Size mismatch"));
        }
        this._finish();
        cb(null);
      }
      _getError() {
        return getStreamError(this) || new Error("tar entry destroyed");
      }
      _predestroy() {
        this._pack.destroy(this._getError());
      }
      _destroy(cb) {
        this._pack._done(this);
        this._continuePack(this._finished ? null : this._getError());
        cb();
      }
    };
    var Pack = class extends Readable {
      constructor(opts) {
        super(opts);
        this._drain = noop;
        this._finalized = false;
        this._finalizing = false;
        this._pending = [];
        this._stream = null;
      }
      entry(header2, buffer, callback) {
        if (this._finalized || this.destroying) throw new Error("already finalized or destroyed");
        if (typeof buffer === "function") {
          callback = buffer;
          buffer = null;
        }
        if (!callback) callback = noop;
        if (!header2.size || header2.type === "symlink") header2.size = 0;
        if (!header2.type) header2.type = modeToType(header2.mode);
        if (!header2.mode) header2.mode = header2.type === "directory" ? DMODE : FMODE;
        if (!header2.uid) header2.uid = 0;
        if (!header2.gid) header2.gid = 0;
        if (!header2.mtime) header2.mtime = /* @__PURE__ */ new Date();
        if (typeof buffer === "string") buffer = b4a.from(buffer);
        const sink = new Sink(this, header2, callback);
        if (b4a.isBuffer(buffer)) {
          header2.size = buffer.byteLength;
          sink.write(buffer);
          sink.end();
          return sink;
        }
        if (sink._isVoid) {
          return sink;
        }
        return sink;
      }
      finalize() {
        if (this._stream || this._pending.length > 0) {
          this._finalizing = true;
          return;
        }
        if (this._finalized) return;
        this._finalized = true;
        this.push(END_OF_TAR);
        this.push(null);
      }
      _done(stream) {
        if (stream !== this._stream) return;
        this._stream = null;
        if (this._finalizing) this.finalize();
        if (this._pending.length) this._pending.shift()._continueOpen();
      }
      _encode(header2) {
        if (!header2.pax) {
          const buf = headers.encode(header2);
          if (buf) {
            this.push(buf);
            return;
          }
        }
        this._encodePax(header2);
      }
      _encodePax(header2) {
        const paxHeader = headers.encodePax({
          name: header2.name,
          linkname: header2.linkname,
          pax: header2.pax
        });
        const newHeader = {
          name: "PaxHeader",
          mode: header2.mode,
          uid: header2.uid,
          gid: header2.gid,
          size: paxHeader.byteLength,
          mtime: header2.mtime,
          type: "pax-header",
          linkname: header2.linkname && "PaxHeader",
          uname: header2.uname,
          gname: header2.gname,
          devmajor: header2.devmajor,
          devminor: header2.devminor
        };
        this.push(headers.encode(newHeader));
        this.push(paxHeader);
        overflow(this, paxHeader.byteLength);
        newHeader.size = header2.size;
        newHeader.type = header2.type;
        this.push(headers.encode(newHeader));
      }
      _doDrain() {
        const drain = this._drain;
        this._drain = noop;
        drain();
      }
      _predestroy() {
        const err = getStreamError(this);
        if (this._stream) this._stream.destroy(err);
        while (this._pending.length) {
          const stream = this._pending.shift();
          stream.destroy(err);
          stream._continueOpen();
        }
        this._doDrain();
      }
      _read(cb) {
        this._doDrain();
        cb();
      }
    };
    module.exports = function pack(opts) {
      return new Pack(opts);
    };
    function modeToType(mode) {
      switch (mode & constants4.S_IFMT) {
        case constants4.S_IFBLK:
          return "block-device";
        case constants4.S_IFCHR:
          return "character-device";
        case constants4.S_IFDIR:
          return "directory";
        case constants4.S_IFIFO:
          return "fifo";
        case constants4.S_IFLNK:
          return "symlink";
      }
      return "file";
    }
    function noop() {
    }
    function overflow(self, size) {
      size &= 511;
      if (size) self.push(END_OF_TAR.subarray(0, 512 - size));
    }
    function mapWritable(buf) {
      return b4a.isBuffer(buf) ? buf : b4a.from(buf);
    }
  }
});

// node_modules/tar-stream/index.js
var require_tar_stream = __commonJS({
  "node_modules/tar-stream/index.js"(exports) {
    exports.extract = require_extract();
    exports.pack = require_pack();
  }
});

// src/build/executor.ts
var import_node_fs10 = __toESM(require_node_fs(), 1);
var import_promises18 = __toESM(require_promises(), 1);
var import_node_os6 = __toESM(require_node_os(), 1);
var import_node_path18 = __toESM(require_node_path(), 1);

// src/context/resolve.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var import_node_path = __toESM(require_node_path(), 1);
async function resolveContext(context, subPath, opts = {}) {
  const env = opts.env ?? process.env;
  const source = redactContext(context);
  const spec = parseContext(context, env);
  let dir;
  if (spec.kind === "dir") {
    dir = (0, import_node_path.resolve)(spec.path);
  } else {
    const gitOptions = parseGitOptions(opts.git);
    dir = (0, import_node_path.join)(opts.workDir ?? await (0, import_promises.mkdtemp)((0, import_node_path.join)((0, import_node_os.tmpdir)(), "kaniko-ts-context-")), "context");
    await fetchInto(
      spec,
      {
        dir,
        where: source,
        env,
        ...opts.log ? { log: opts.log } : {},
        ...opts.signal ? { signal: opts.signal } : {}
      },
      gitOptions,
      opts.stdin
    );
  }
  const st = await (0, import_promises.stat)(dir).catch(() => void 0);
  if (!st) throw new ContextError(`context ${source}: no such directory`);
  if (!st.isDirectory()) throw new ContextError(`context ${source}: not a directory`);
  if (subPath) dir = await applySubPath(dir, subPath, source, spec.kind !== "dir");
  return { dir, source, kind: spec.kind };
}
async function applySubPath(root, subPath, source, contained) {
  const dir = (0, import_node_path.join)(root, subPath);
  const real = await (0, import_promises.realpath)(dir).catch(() => void 0);
  const st = real ? await (0, import_promises.stat)(real).catch(() => void 0) : void 0;
  if (!real || !st?.isDirectory())
    throw new ContextError(`context ${source} (sub path ${subPath}): no such directory`);
  if (contained) {
    const rel = (0, import_node_path.relative)(await (0, import_promises.realpath)(root), real);
    if (rel === ".." || rel.startsWith(`..${import_node_path.sep}`) || (0, import_node_path.isAbsolute)(rel))
      throw new ContextError(`context ${source} (sub path ${subPath}): leads outside the context`);
  }
  return dir;
}
async function fetchInto(spec, f, git, stdin) {
  switch (spec.kind) {
    case "tar": {
      const { createReadStream } = await import("node:fs");
      const { extractContextArchive } = await import("./tarball-YJB4WUF6.js");
      const path = (0, import_node_path.resolve)(spec.path);
      const st = await (0, import_promises.stat)(path).catch(() => void 0);
      if (!st?.isFile()) throw new ContextError(`context ${f.where}: no such file`);
      await extractContextArchive(createReadStream(path), f);
      return;
    }
    case "stdin": {
      const input = stdin ?? process.stdin;
      if ("isTTY" in input && input.isTTY)
        throw new ContextError(
          `context ${f.where}: standard input is a terminal; pipe a tar or tar.gz into it`
        );
      const { extractContextArchive } = await import("./tarball-YJB4WUF6.js");
      await extractContextArchive(input, f);
      return;
    }
    case "git": {
      const { fetchGit } = await import("./git-XNAGSVN4.js");
      await fetchGit(spec, { ...f, git });
      return;
    }
    case "https": {
      const { fetchHttps } = await import("./https-PC6EHK57.js");
      await fetchHttps(spec.url, f);
      return;
    }
    case "s3": {
      const { fetchS3 } = await import("./s3-3WLZLNPW.js");
      await fetchS3(spec.bucket, spec.key, f);
      return;
    }
    case "gcs": {
      const { fetchGcs } = await import("./gcs-P2MUDFTO.js");
      await fetchGcs(spec.bucket, spec.object, f);
      return;
    }
    case "azure": {
      const { fetchAzure } = await import("./azure-ZN7OIIXX.js");
      await fetchAzure(spec, f);
      return;
    }
  }
}
async function resolveDockerfile(dockerfile, contextDir) {
  const candidates = (0, import_node_path.isAbsolute)(dockerfile) ? [dockerfile] : [(0, import_node_path.resolve)(dockerfile), (0, import_node_path.join)(contextDir, dockerfile)];
  for (const c of candidates) {
    const st = await (0, import_promises.stat)(c).catch(() => void 0);
    if (st?.isFile()) return c;
  }
  throw new ContextError(`Dockerfile ${dockerfile}: not found (looked in ${candidates.join(" and ")})`);
}

// src/dockerfile/flags.ts
var FlagError = class extends Error {
};
var NONE = Object.freeze({
  strings: /* @__PURE__ */ new Map(),
  lists: /* @__PURE__ */ new Map(),
  bools: /* @__PURE__ */ new Map(),
  used: []
});
function parseFlags(flags, allowed) {
  if (flags.length === 0) return NONE;
  const out = { strings: /* @__PURE__ */ new Map(), lists: /* @__PURE__ */ new Map(), bools: /* @__PURE__ */ new Map(), used: [] };
  for (const arg of flags) {
    if (!arg.startsWith("--")) throw new FlagError(`arg should start with -- : ${arg}`);
    if (arg === "--") break;
    let name = arg.slice(2);
    let value = "";
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const type = Object.hasOwn(allowed, name) ? allowed[name] : void 0;
    if (type === void 0) {
      const hint = suggest(name, Object.keys(allowed));
      throw new FlagError(`unknown flag: ${name}${hint ? ` (did you mean ${hint}?)` : ""}`);
    }
    if (out.used.includes(name) && type !== "strings")
      throw new FlagError(`duplicate flag specified: ${name}`);
    out.used.push(name);
    switch (type) {
      case "bool": {
        if (eq >= 0 && value === "") throw new FlagError(`missing a value on flag: ${name}`);
        const v = value.toLowerCase();
        if (v === "true" || v === "") out.bools.set(name, true);
        else if (v === "false") out.bools.set(name, false);
        else throw new FlagError(`expecting boolean value for flag ${name}, not: ${value}`);
        break;
      }
      case "string":
        if (eq < 0) throw new FlagError(`missing a value on flag: ${name}`);
        out.strings.set(name, value);
        break;
      case "strings": {
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

// src/dockerfile/mounts.ts
var MountError = class extends Error {
};
var TYPES = ["bind", "cache", "tmpfs", "secret", "ssh"];
function splitCSV(spec) {
  const out = [];
  let i = 0;
  for (; ; ) {
    let field = "";
    if (spec[i] === '"') {
      i++;
      for (; ; ) {
        if (i >= spec.length)
          throw new MountError(
            `invalid mount value ${JSON.stringify(spec)}: extraneous or missing " in quoted-field`
          );
        const ch = spec[i];
        if (ch === '"') {
          if (spec[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
      if (i < spec.length && spec[i] !== ",")
        throw new MountError(
          `invalid mount value ${JSON.stringify(spec)}: extraneous or missing " in quoted-field`
        );
    } else {
      const comma = spec.indexOf(",", i);
      const end = comma < 0 ? spec.length : comma;
      field = spec.slice(i, end);
      if (field.includes('"'))
        throw new MountError(`invalid mount value ${JSON.stringify(spec)}: bare " in non-quoted-field`);
      i = end;
    }
    out.push(field);
    if (i >= spec.length) return out;
    i++;
  }
}
function parseBool(key, value) {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  throw new MountError(`invalid value for ${key}: ${value}`);
}
function parseUint(key, value, base) {
  const re = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  const n = re.test(value) ? Number.parseInt(value, base) : Number.NaN;
  if (!(n <= 4294967295)) throw new MountError(`invalid value ${value} for ${key}`);
  return n;
}
var SIZE_UNITS = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5
};
function parseSize(value) {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (!m) throw new MountError(`invalid value for size: ${value}`);
  return Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? "").toLowerCase()]);
}
var FILE_INFO_TYPES = ["secret", "ssh", "cache"];
function parseMount(spec, expand) {
  const fields = splitCSV(spec);
  let type = "bind";
  let roAuto = true;
  let readOnly = false;
  let required = false;
  let target = "";
  const m = {};
  for (const f of fields) {
    const eq = f.indexOf("=");
    const key = (eq < 0 ? f : f.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      switch (key) {
        case "readonly":
        case "ro":
          readOnly = true;
          roAuto = false;
          continue;
        case "readwrite":
        case "rw":
          readOnly = false;
          roAuto = false;
          continue;
        case "required":
          if (type === "secret" || type === "ssh") {
            required = true;
            continue;
          }
          throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        default:
          throw new MountError(`invalid field '${f}' must be a key=value pair`);
      }
    }
    let value = f.slice(eq + 1);
    if (key === "from" && /\$./.test(value))
      throw new MountError(`'${key}' doesn't support variable expansion, define alias stage instead`);
    if (expand) value = expand(value);
    switch (key) {
      case "type": {
        const v = value.toLowerCase();
        if (!TYPES.includes(v))
          throw new MountError(`unsupported mount type "${value}"`);
        type = v;
        break;
      }
      case "from":
        m.from = value;
        break;
      case "source":
      case "src":
        m.source = value;
        break;
      case "target":
      case "dst":
      case "destination":
        target = value;
        break;
      case "readonly":
      case "ro":
        readOnly = parseBool(key, value);
        roAuto = false;
        break;
      case "readwrite":
      case "rw":
        readOnly = !parseBool(key, value);
        roAuto = false;
        break;
      case "required":
        if (type !== "secret" && type !== "ssh")
          throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        required = parseBool(key, value);
        break;
      case "size":
        if (type !== "tmpfs") throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        m.size = parseSize(value);
        break;
      case "id":
        m.id = value;
        break;
      case "sharing": {
        const v = value.toLowerCase();
        if (v !== "shared" && v !== "private" && v !== "locked")
          throw new MountError(`unsupported sharing value "${value}"`);
        m.sharing = v;
        break;
      }
      case "mode":
        m.mode = parseUint(key, value, 8);
        break;
      case "uid":
        m.uid = parseUint(key, value, 10);
        break;
      case "gid":
        m.gid = parseUint(key, value, 10);
        break;
      case "env":
        if (type !== "secret") throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        m.env = value;
        break;
      default:
        throw new MountError(`unexpected key '${key}' in '${f}'`);
    }
  }
  if (!FILE_INFO_TYPES.includes(type)) {
    for (const k of ["mode", "uid", "gid"])
      if (m[k] !== void 0) throw new MountError(`${k} not allowed for "${type}" type mounts`);
  }
  if (roAuto) readOnly = !(type === "cache" || type === "tmpfs");
  if (type === "secret") {
    if (m.from !== void 0) throw new MountError("secret mount should not have a from");
    if (m.sharing !== void 0) throw new MountError("secret mount should not define sharing");
    if (m.source === void 0 && target === "" && m.id === void 0 && m.env === void 0)
      throw new MountError("invalid secret mount. one of source, target required");
    if (m.source !== void 0 && m.id !== void 0) throw new MountError("both source and id can't be set");
  }
  if (m.sharing !== void 0 && type !== "cache")
    throw new MountError(`invalid cache sharing set for ${type} mount`);
  const out = { type, target, readOnly, required, ...m };
  if (type === "cache") {
    out.sharing ??= "shared";
    out.mode ??= 493;
    out.id ??= target;
  } else if (type === "secret") {
    out.mode ??= 256;
    out.id ??= m.source ?? (target !== "" ? target.split("/").pop() : m.env);
    if (target === "" && m.env === void 0) out.target = `/run/secrets/${out.id}`;
    delete out.source;
  } else if (type === "ssh") {
    out.mode ??= 384;
    out.id ??= "default";
    if (target === "") out.target = "/run/buildkit/ssh_agent.0";
  }
  if (out.target === "" && type !== "secret") throw new MountError('invalid mount target ""');
  return out;
}

// src/dockerfile/instructions.ts
var INSTRUCTIONS = [
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR"
];
var InstructionError = class extends Error {
};
var STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
function atLeastOne(name) {
  return new InstructionError(`${name} requires at least one argument`);
}
function exactlyOne(name) {
  return new InstructionError(`${name} requires exactly one argument`);
}
function flagsOf(node, allowed) {
  try {
    return parseFlags(node.flags, allowed);
  } catch (e) {
    if (e instanceof FlagError) throw new InstructionError(e.message);
    throw e;
  }
}
function shellDependent(node, emptyAsNil) {
  const args = node.args;
  let cmdLine;
  if (args.length === 0) cmdLine = [];
  else if (node.json) cmdLine = [...args];
  else cmdLine = [args.join(" ")];
  if (emptyAsNil && cmdLine.length === 0) cmdLine = [];
  return { cmdLine, prependShell: !node.json };
}
function keyValues(node, name) {
  if (node.keyValues.length === 0) throw atLeastOne(name);
  for (const kv of node.keyValues)
    if (kv.key === "") throw new InstructionError(`${name} names can not be blank`);
  return node.keyValues.map((kv) => ({ key: kv.key, value: kv.value, noDelim: kv.noDelim }));
}
function parseDurationFlag(name, value) {
  if (value === void 0 || value === "") return 0;
  const d = parseGoDuration(value);
  if (d === void 0) throw new InstructionError(`time: invalid duration "${value}"`);
  if (d === 0) return 0;
  if (d < 1e6) throw new InstructionError(`Interval "${name}" cannot be less than ${formatGoDuration(1e6)}`);
  return d;
}
function copyLike(node, name) {
  if (node.args.length < 2)
    throw new InstructionError(
      `${name} requires at least two arguments, but only one was provided. Destination could not be determined`
    );
  const dest = node.args[node.args.length - 1];
  if (parseHeredocWordSafe(dest))
    throw new InstructionError(`${name} cannot accept a heredoc as a destination`);
  const sources = [];
  const sourceContents = [];
  const srcs = node.args.slice(0, -1);
  if (node.heredocs.length === 0) sources.push(...srcs);
  else {
    const byName = new Map(node.heredocs.map((h) => [h.name, h]));
    for (const src of srcs) {
      const h = parseHeredocWordSafe(src);
      if (!h) {
        sources.push(src);
        continue;
      }
      const content = byName.get(h.name)?.content ?? "";
      sourceContents.push({
        name: h.name,
        data: h.chomp ? chompHeredocContent(content) : content,
        expand: h.expand,
        chomp: h.chomp
      });
    }
  }
  return { sources, sourceContents, dest, link: false, exclude: [], json: node.json };
}
function parseHeredocWordSafe(word) {
  try {
    return parseHeredocWord(word);
  } catch (e) {
    throw new InstructionError(e.message);
  }
}
function parseHealthcheck(node) {
  if (node.args.length === 0) throw atLeastOne("HEALTHCHECK");
  let typ = node.args[0].toUpperCase();
  const args = node.args.slice(1);
  const empty = {
    test: [],
    interval: 0,
    timeout: 0,
    startPeriod: 0,
    startInterval: 0,
    retries: 0
  };
  if (typ === "NONE") {
    if (args.length !== 0) throw new InstructionError("HEALTHCHECK NONE takes no arguments");
    return { ...empty, test: ["NONE"] };
  }
  const f = flagsOf(node, {
    interval: "string",
    timeout: "string",
    "start-period": "string",
    "start-interval": "string",
    retries: "string"
  });
  if (typ !== "CMD") throw new InstructionError(`Unknown type "${typ}" in HEALTHCHECK (try CMD)`);
  const cmdSlice = args.length === 0 ? [] : node.json ? args : [args.join(" ")];
  if (cmdSlice.length === 0) throw new InstructionError("Missing command after HEALTHCHECK CMD");
  if (!node.json) typ = "CMD-SHELL";
  let retries = 0;
  const r = f.strings.get("retries");
  if (r !== void 0 && r !== "") {
    if (!/^[+-]?\d+$/.test(r) || Math.abs(Number(r)) > 2 ** 31 - 1)
      throw new InstructionError(`strconv.ParseInt: parsing "${r}": invalid syntax`);
    retries = Number(r);
    if (retries < 0) throw new InstructionError(`--retries cannot be negative (${retries})`);
  }
  return {
    test: [typ, ...cmdSlice],
    interval: parseDurationFlag("interval", f.strings.get("interval")),
    timeout: parseDurationFlag("timeout", f.strings.get("timeout")),
    startPeriod: parseDurationFlag("start-period", f.strings.get("start-period")),
    startInterval: parseDurationFlag("start-interval", f.strings.get("start-interval")),
    retries
  };
}
function parseRun(node, base) {
  const f = flagsOf(node, { mount: "strings", network: "string", security: "string" });
  const mountSpecs = f.lists.get("mount") ?? [];
  const mounts = [];
  for (const spec of mountSpecs) {
    try {
      mounts.push(parseMount(spec));
    } catch (e) {
      if (e instanceof MountError) throw new InstructionError(e.message);
      throw e;
    }
  }
  const network = f.strings.get("network");
  if (network !== void 0 && network !== "default" && network !== "none" && network !== "host")
    throw new InstructionError(`unsupported network mode "${network}"`);
  const security = f.strings.get("security");
  if (security !== void 0 && security !== "sandbox" && security !== "insecure")
    throw new InstructionError(`unsupported security mode "${security}"`);
  const sd = shellDependent(node, false);
  const files = node.heredocs.map((h) => ({
    name: h.name,
    data: h.content,
    expand: h.expand,
    chomp: h.chomp
  }));
  const cmd = { kind: "RUN", ...base, ...sd, files, mountSpecs, mounts };
  if (network !== void 0) cmd.network = network;
  if (security !== void 0) cmd.security = security;
  return cmd;
}
function noFlags(node) {
  flagsOf(node, {});
}
function parseNode(node) {
  const base = { line: node.startLine, endLine: node.endLine, original: node.original.trim() };
  switch (node.instruction) {
    case "from": {
      const f = flagsOf(node, { platform: "string" });
      const a = node.args;
      let stageName;
      if (a.length === 3 && a[1].toLowerCase() === "as") {
        stageName = a[2].toLowerCase();
        if (!STAGE_NAME.test(stageName))
          throw new InstructionError(
            `invalid name for build stage: "${a[2]}", name can't start with a number or contain symbols`
          );
      } else if (a.length !== 1) throw new InstructionError("FROM requires either one or three arguments");
      const cmd = { kind: "FROM", ...base, image: a[0] };
      if (stageName !== void 0) cmd.stageName = stageName;
      const p = f.strings.get("platform");
      if (p !== void 0 && p !== "") cmd.platform = p;
      return cmd;
    }
    case "run":
      return parseRun(node, base);
    case "cmd":
      noFlags(node);
      return { kind: "CMD", ...base, ...shellDependent(node, true) };
    case "entrypoint":
      noFlags(node);
      return { kind: "ENTRYPOINT", ...base, ...shellDependent(node, true) };
    case "label":
      noFlags(node);
      return { kind: "LABEL", ...base, labels: keyValues(node, "LABEL") };
    case "env":
      noFlags(node);
      return { kind: "ENV", ...base, env: keyValues(node, "ENV") };
    case "maintainer":
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne("MAINTAINER");
      return { kind: "MAINTAINER", ...base, maintainer: node.args[0] };
    case "expose":
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne("EXPOSE");
      return { kind: "EXPOSE", ...base, ports: [...node.args].sort() };
    case "add": {
      const f = flagsOf(node, {
        chown: "string",
        chmod: "string",
        link: "bool",
        "keep-git-dir": "bool",
        checksum: "string",
        exclude: "strings",
        unpack: "bool"
      });
      const cmd = { kind: "ADD", ...base, ...copyLike(node, "ADD") };
      applyCopyFlags(cmd, f);
      const keep = f.bools.get("keep-git-dir");
      if (keep !== void 0) cmd.keepGitDir = keep;
      const checksum = f.strings.get("checksum");
      if (checksum !== void 0 && checksum !== "") cmd.checksum = checksum;
      const unpack = f.bools.get("unpack");
      if (unpack !== void 0) cmd.unpack = unpack;
      return cmd;
    }
    case "copy": {
      const f = flagsOf(node, {
        from: "string",
        chown: "string",
        chmod: "string",
        link: "bool",
        parents: "bool",
        exclude: "strings"
      });
      const cmd = {
        kind: "COPY",
        ...base,
        ...copyLike(node, "COPY"),
        parents: f.bools.get("parents") ?? false
      };
      applyCopyFlags(cmd, f);
      const from = f.strings.get("from");
      if (from !== void 0 && from !== "") cmd.from = from;
      return cmd;
    }
    case "volume": {
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne("VOLUME");
      const volumes = node.args.map((v) => v.trim());
      if (volumes.some((v) => v === ""))
        throw new InstructionError("VOLUME specified can not be an empty string");
      return { kind: "VOLUME", ...base, volumes };
    }
    case "user":
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne("USER");
      return { kind: "USER", ...base, user: node.args[0] };
    case "workdir":
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne("WORKDIR");
      return { kind: "WORKDIR", ...base, path: node.args[0] };
    case "arg": {
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne("ARG");
      const args = node.args.map((w) => {
        const eq = w.indexOf("=");
        if (eq < 0) return { key: w };
        if (eq === 0) throw new InstructionError("ARG names can not be blank");
        return { key: w.slice(0, eq), value: w.slice(eq + 1) };
      });
      return { kind: "ARG", ...base, args };
    }
    case "onbuild": {
      noFlags(node);
      if (!node.sub) throw atLeastOne("ONBUILD");
      const trigger = node.sub.keyword.toUpperCase();
      if (trigger === "ONBUILD")
        throw new InstructionError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (trigger === "MAINTAINER" || trigger === "FROM")
        throw new InstructionError(`${trigger} isn't allowed as an ONBUILD trigger`);
      let expression = node.original.replace(/^\s*ONBUILD\s*/i, "");
      for (const h of node.sub.heredocs) expression += "\n" + h.content + h.name;
      return { kind: "ONBUILD", ...base, expression };
    }
    case "stopsignal":
      if (node.args.length !== 1) throw exactlyOne("STOPSIGNAL");
      return { kind: "STOPSIGNAL", ...base, signal: node.args[0] };
    case "healthcheck":
      return { kind: "HEALTHCHECK", ...base, health: parseHealthcheck(node) };
    case "shell": {
      noFlags(node);
      const sd = shellDependent(node, false);
      if (sd.cmdLine.length === 0) throw atLeastOne("SHELL");
      if (!node.json) throw new InstructionError("SHELL requires the arguments to be in JSON form");
      return { kind: "SHELL", ...base, shell: sd.cmdLine };
    }
    default: {
      const hint = suggest(node.keyword, INSTRUCTIONS);
      throw new InstructionError(
        `unknown instruction "${node.keyword.toUpperCase()}"${hint ? ` (did you mean ${hint}?)` : ""}`
      );
    }
  }
}
function applyCopyFlags(cmd, f) {
  const chown3 = f.strings.get("chown");
  if (chown3 !== void 0 && chown3 !== "") cmd.chown = chown3;
  const chmod6 = f.strings.get("chmod");
  if (chmod6 !== void 0 && chmod6 !== "") cmd.chmod = chmod6;
  cmd.link = f.bools.get("link") ?? false;
  cmd.exclude = f.lists.get("exclude") ?? [];
}
function parseCommand(node, file) {
  try {
    return parseNode(node);
  } catch (e) {
    if (e instanceof InstructionError) throw new DockerfileError(file, node.startLine, e.message);
    throw e;
  }
}
function toInstructions(df) {
  const metaArgs = [];
  const stages = [];
  const warnings = [...df.warnings];
  for (const node of df.nodes) {
    const cmd = parseCommand(node, df.file);
    if (cmd.kind === "MAINTAINER")
      warnings.push({
        file: df.file,
        line: cmd.line,
        message: "Maintainer instruction is deprecated in favor of using label"
      });
    const pairs = cmd.kind === "ENV" ? cmd.env : cmd.kind === "LABEL" ? cmd.labels : [];
    if (pairs.some((kv) => kv.noDelim))
      warnings.push({
        file: df.file,
        line: cmd.line,
        message: `"${cmd.kind} key=value" should be used instead of legacy "${cmd.kind} key value" format`
      });
    if (cmd.kind === "FROM") {
      const stage = { from: cmd, index: stages.length, commands: [] };
      if (cmd.stageName !== void 0) stage.name = cmd.stageName;
      stages.push(stage);
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) {
      if (cmd.kind === "ARG") {
        metaArgs.push(cmd);
        continue;
      }
      throw new DockerfileError(df.file, cmd.line, "no build stage in current context");
    }
    current.commands.push(cmd);
  }
  return { file: df.file, escapeToken: df.escapeToken, metaArgs, stages, warnings };
}

// src/dockerfile/stages.ts
function formatPlatform(p) {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}
function platformArgs(platform, buildPlatform) {
  return {
    TARGETPLATFORM: formatPlatform(platform),
    TARGETOS: platform.os,
    TARGETARCH: platform.architecture,
    TARGETVARIANT: platform.variant ?? "",
    BUILDPLATFORM: formatPlatform(buildPlatform),
    BUILDOS: buildPlatform.os,
    BUILDARCH: buildPlatform.architecture,
    BUILDVARIANT: buildPlatform.variant ?? ""
  };
}
function isBuiltinArg(name) {
  return PROXY_ARGS.includes(name) || name.startsWith("BUILDKIT_") || name === "SOURCE_DATE_EPOCH";
}
function stageArgValue(arg, plan, buildArgs, expandDefault) {
  if (Object.hasOwn(buildArgs, arg.key)) return buildArgs[arg.key];
  if (arg.value !== void 0) return expandDefault(arg.value);
  const g = plan.globalArgs.get(arg.key);
  if (g !== void 0) return g;
  if (Object.hasOwn(plan.platformArgs, arg.key)) return plan.platformArgs[arg.key];
  return void 0;
}
function lookupOf(globals, platform) {
  return (n) => {
    if (globals.has(n)) return globals.get(n);
    return Object.hasOwn(platform, n) ? platform[n] : void 0;
  };
}
function expandOrFail(word, lookup, escapeToken, file, line) {
  try {
    return expandWord(word, lookup, { escapeToken });
  } catch (e) {
    if (e instanceof ExpansionError) throw new DockerfileError(file, line, e.message);
    throw e;
  }
}
function planBuild(dockerfile, opts) {
  const ins = "nodes" in dockerfile ? toInstructions(dockerfile) : dockerfile;
  const { file, escapeToken } = ins;
  if (ins.stages.length === 0) throw new DockerfileError(file, 1, "dockerfile contains no stages to build");
  const pArgs = platformArgs(opts.platform, opts.buildPlatform);
  const globals = /* @__PURE__ */ new Map();
  const lookup = lookupOf(globals, pArgs);
  for (const cmd of ins.metaArgs) {
    for (const a of cmd.args) {
      if (Object.hasOwn(opts.buildArgs, a.key)) globals.set(a.key, opts.buildArgs[a.key]);
      else if (a.value !== void 0)
        globals.set(a.key, expandOrFail(a.value, lookup, escapeToken, file, cmd.line));
      else if (!globals.has(a.key)) globals.set(a.key, void 0);
    }
  }
  const byName = /* @__PURE__ */ new Map();
  const stages = [];
  for (const def of ins.stages) {
    const line = def.from.line;
    const image = expandOrFail(def.from.image, lookup, escapeToken, file, line);
    if (image === "")
      throw new DockerfileError(file, line, `base name (${def.from.image}) should not be blank`);
    let base;
    const earlier = byName.get(image.toLowerCase());
    if (earlier !== void 0) base = { kind: "stage", index: earlier };
    else if (image.toLowerCase() === "scratch") base = { kind: "scratch" };
    else base = { kind: "image", ref: image };
    const stage = {
      index: def.index,
      line,
      base,
      commands: def.commands,
      sources: /* @__PURE__ */ new Map(),
      dependsOn: base.kind === "stage" ? [base.index] : [],
      needed: false
    };
    if (def.from.platform !== void 0) {
      const p = expandOrFail(def.from.platform, lookup, escapeToken, file, line);
      if (p !== "") stage.platform = p;
    }
    if (def.name !== void 0) {
      stage.name = def.name;
      if (byName.has(def.name)) throw new DockerfileError(file, line, `duplicate stage name "${def.name}"`);
      byName.set(def.name, def.index);
    }
    stages.push(stage);
  }
  const resolve2 = (from, cmd) => {
    const v = expandOrFail(from, lookup, escapeToken, file, cmd.line);
    if (/^[+-]?\d+$/.test(v)) {
      const n = Number(v);
      if (n < 0 || n >= stages.length) throw new DockerfileError(file, cmd.line, `invalid stage index ${n}`);
      return { kind: "stage", index: n };
    }
    const named = byName.get(v.toLowerCase());
    if (named !== void 0) return { kind: "stage", index: named };
    if (v === "") throw new DockerfileError(file, cmd.line, "invalid empty source reference");
    return { kind: "image", ref: v };
  };
  for (const stage of stages) {
    for (const cmd of stage.commands) {
      const refs = [];
      if (cmd.kind === "COPY" && cmd.from !== void 0) refs.push(resolve2(cmd.from, cmd));
      if (cmd.kind === "RUN") {
        for (const m of cmd.mounts) if (m.from !== void 0) refs.push(resolve2(m.from, cmd));
      }
      if (refs.length === 0) continue;
      stage.sources.set(cmd, refs);
      for (const r of refs) {
        if (r.kind !== "stage") continue;
        if (r.index >= stage.index) {
          const target2 = stages[r.index];
          const what = target2.name ?? String(target2.index);
          if (r.index === stage.index || dependsOnStage(stages, r.index, stage.index))
            throw new DockerfileError(file, cmd.line, `circular dependency detected on stage: ${what}`);
          throw new DockerfileError(
            file,
            cmd.line,
            `cannot copy from stage "${what}", it needs to be defined before current stage "${stage.name ?? stage.index}"`
          );
        }
        if (!stage.dependsOn.includes(r.index)) stage.dependsOn.push(r.index);
      }
    }
  }
  let target = stages.length - 1;
  if (opts.target !== void 0 && opts.target !== "") {
    const t = byName.get(opts.target.toLowerCase());
    if (t === void 0)
      throw new DockerfileError(file, 1, `target stage "${opts.target}" could not be found`);
    target = t;
  }
  const visit = (i) => {
    const s = stages[i];
    if (s.needed) return;
    s.needed = true;
    for (const d of s.dependsOn) visit(d);
  };
  visit(target);
  const declared = /* @__PURE__ */ new Set();
  for (const cmd of ins.metaArgs) for (const a of cmd.args) declared.add(a.key);
  for (const s of stages) {
    if (!s.needed) continue;
    for (const cmd of s.commands) if (cmd.kind === "ARG") for (const a of cmd.args) declared.add(a.key);
  }
  const unusedBuildArgs = Object.keys(opts.buildArgs).filter((k) => !declared.has(k) && !isBuiltinArg(k)).sort();
  const warnings = [...ins.warnings];
  if (unusedBuildArgs.length > 0)
    warnings.push({
      file,
      line: 1,
      message: `One or more build-args [${unusedBuildArgs.join(" ")}] were not consumed`
    });
  return {
    allStages: stages,
    stages: stages.filter((s) => s.needed),
    target,
    globalArgs: globals,
    platformArgs: pArgs,
    unusedBuildArgs,
    warnings,
    escapeToken,
    file
  };
}
function dependsOnStage(stages, from, on) {
  const seen = /* @__PURE__ */ new Set();
  const stack = [from];
  while (stack.length > 0) {
    const i = stack.pop();
    if (i === on) return true;
    if (seen.has(i)) continue;
    seen.add(i);
    const s = stages[i];
    stack.push(...s.dependsOn);
    for (const refs of s.sources.values()) for (const r of refs) if (r.kind === "stage") stack.push(r.index);
    for (const cmd of s.commands) {
      if (cmd.kind === "COPY" && cmd.from !== void 0) {
        const n = stages.findIndex((x) => x.name === cmd.from.toLowerCase());
        if (n >= 0) stack.push(n);
      }
    }
  }
  return false;
}

// src/sandbox/deferred.ts
var DeferredSandbox = class {
  #choose;
  #chosen;
  /** `choose` selects the sandbox (and says which); called once, at the first RUN. */
  constructor(choose) {
    this.#choose = choose;
  }
  async run(spec) {
    this.#chosen ??= this.#choose();
    return (await this.#chosen).run(spec);
  }
  /** Nothing was kept for a root when no RUN ever chose a sandbox. */
  async release(rootfs) {
    if (!this.#chosen) return;
    const sandbox = await this.#chosen.catch(() => void 0);
    await sandbox?.release?.(rootfs);
  }
};

// src/sandbox/select.ts
var import_node_child_process4 = __toESM(require_node_child_process(), 1);
var import_node_fs4 = __toESM(require_node_fs(), 1);

// src/sandbox/chroot.ts
var import_promises5 = __toESM(require_promises(), 1);
var import_node_path5 = __toESM(require_node_path(), 1);

// src/sandbox/capabilities.ts
var DEFAULT_CAPABILITIES = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE"
];

// src/sandbox/mountpoints.ts
var import_promises2 = __toESM(require_promises(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);
var MountPoints = class {
  root;
  created = [];
  touched = [];
  constructor(root) {
    this.root = root;
  }
  /**
   * Makes sure `target` exists in the rootfs (as `kind`) and returns its resolved path inside
   * the rootfs, free of symlinks, for the mount tool.
   */
  async ensure(target, kind) {
    const r = await resolveInRoot(this.root, target);
    if (r.existing === r.inside.length) return insidePath(r);
    const parent = (0, import_node_path2.join)(this.root, ...r.inside.slice(0, r.existing));
    const before = await (0, import_promises2.stat)(parent);
    for (let i = r.existing; i < r.inside.length; i++) {
      const host = (0, import_node_path2.join)(this.root, ...r.inside.slice(0, i + 1));
      const last = i === r.inside.length - 1;
      if (last && kind === "file") {
        await (0, import_promises2.writeFile)(host, "", { flag: "wx", mode: 420 });
        this.created.push({ host, kind: "file" });
      } else {
        await (0, import_promises2.mkdir)(host, { mode: 493 });
        this.created.push({ host, kind: "dir" });
      }
    }
    const after = await (0, import_promises2.stat)(parent);
    const known = this.touched.find((t) => t.host === parent);
    if (!known) {
      this.touched.push({
        host: parent,
        atime: before.atime,
        mtime: before.mtime,
        ourMtimeMs: after.mtimeMs
      });
    } else {
      known.ourMtimeMs = known.ourMtimeMs === before.mtimeMs ? after.mtimeMs : Number.NaN;
    }
    return insidePath(r);
  }
  /** Image paths of the directories `ensure` created something in (never `/`). */
  touchedPaths() {
    return this.touched.map((t) => t.host.slice(this.root.length)).filter((p) => p !== "" && p !== "/");
  }
  /** Removes what `ensure` created, deepest first; returns what had to stay. */
  async cleanup() {
    const left = [];
    const untouched = /* @__PURE__ */ new Set();
    for (const t of this.touched) {
      const now = await (0, import_promises2.stat)(t.host).catch(() => void 0);
      if (now && now.mtimeMs === t.ourMtimeMs) untouched.add(t.host);
    }
    for (const c of this.created.reverse()) {
      try {
        if (c.kind === "dir") await (0, import_promises2.rmdir)(c.host);
        else {
          const st = await (0, import_promises2.lstat)(c.host);
          if (!st.isFile() || st.size !== 0) {
            left.push({ path: c.host.slice(this.root.length), reason: "changed by the RUN" });
            continue;
          }
          await (0, import_promises2.unlink)(c.host);
        }
      } catch (e) {
        const code = e.code;
        if (code === "ENOENT") continue;
        left.push({ path: c.host.slice(this.root.length) || "/", reason: code ?? String(e) });
      }
    }
    this.created.length = 0;
    for (const t of this.touched) {
      if (untouched.has(t.host)) await (0, import_promises2.utimes)(t.host, t.atime, t.mtime).catch(() => void 0);
    }
    this.touched.length = 0;
    return left;
  }
};

// src/sandbox/process.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_promises3 = __toESM(require_promises(), 1);
var import_node_os2 = __toESM(require_node_os(), 1);
var DEFAULT_GRACE_MS = 2e3;
async function processes() {
  const out = [];
  for (const name of await (0, import_promises3.readdir)("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat5 = await (0, import_promises3.readFile)(`/proc/${name}/stat`, "utf8").catch(() => "");
    const open2 = stat5.indexOf("(");
    const close = stat5.lastIndexOf(")");
    if (open2 < 0 || close < 0) continue;
    const fields = stat5.slice(close + 2).split(" ");
    out.push({ pid: Number(name), ppid: Number(fields[1]), comm: stat5.slice(open2 + 1, close) });
  }
  return out;
}
async function descendants(root) {
  const all = await processes();
  const found = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}
function signalName(n) {
  for (const [name, num] of Object.entries(import_node_os2.constants.signals)) if (num === n) return name;
  return void 0;
}
function runProcess(cmd, args, spec, opts = {}) {
  return new Promise((resolve2, reject) => {
    if (spec.signal?.aborted) {
      resolve2({ exitCode: 128 + import_node_os2.constants.signals.SIGKILL, signal: "SIGKILL" });
      return;
    }
    const child = (0, import_node_child_process.spawn)(cmd, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: opts.env ?? {},
      cwd: opts.cwd,
      uid: opts.uid,
      gid: opts.gid,
      detached: true
    });
    child.stdout.pipe(spec.stdout, { end: false });
    child.stderr.pipe(spec.stderr, { end: false });
    let aborted = false;
    let killTimer;
    const managers = new Set(opts.managerComms ?? []);
    const killAll = async (sig) => {
      const pid = child.pid;
      if (pid === void 0 || child.exitCode !== null || child.signalCode !== null) return;
      const tree = await descendants(pid);
      for (const p of tree) {
        if (sig === "SIGTERM" && managers.has(p.comm)) continue;
        try {
          process.kill(p.pid, sig);
        } catch {
        }
      }
      const spareManagers = sig === "SIGTERM" && managers.size > 0;
      if (spareManagers) return;
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, sig);
        } catch {
        }
      }
    };
    const onAbort = () => {
      aborted = true;
      void killAll("SIGTERM");
      killTimer = setTimeout(() => void killAll("SIGKILL"), spec.killGraceMs ?? DEFAULT_GRACE_MS);
    };
    spec.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (e) => {
      spec.signal?.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
      reject(e);
    });
    child.on("close", (code, sig) => {
      spec.signal?.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (sig) {
        const n = import_node_os2.constants.signals[sig] ?? 0;
        resolve2({ exitCode: 128 + n, signal: sig });
        return;
      }
      const exitCode = code ?? 1;
      if (aborted && exitCode > 128) {
        const name = signalName(exitCode - 128);
        resolve2(name ? { exitCode, signal: name } : { exitCode });
        return;
      }
      resolve2({ exitCode });
    });
  });
}

// src/sandbox/secret-files.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises4 = __toESM(require_promises(), 1);
var import_node_os3 = __toESM(require_node_os(), 1);
var import_node_path3 = __toESM(require_node_path(), 1);
var SecretFiles = class {
  dir;
  count = 0;
  /** A host file holding the secret with the owner and mode it must have inside the sandbox. */
  async prepare(m) {
    if (!this.dir) {
      const base = (0, import_node_fs.existsSync)("/dev/shm") ? "/dev/shm" : (0, import_node_os3.tmpdir)();
      this.dir = await (0, import_promises4.mkdtemp)((0, import_node_path3.join)(base, "kaniko-ts-secrets-"));
    }
    const file = (0, import_node_path3.join)(this.dir, String(this.count++));
    await (0, import_promises4.copyFile)(m.source, file);
    await (0, import_promises4.chown)(file, m.uid ?? 0, m.gid ?? 0);
    await (0, import_promises4.chmod)(file, m.mode ?? 256);
    return file;
  }
  async cleanup() {
    if (this.dir) await (0, import_promises4.rm)(this.dir, { recursive: true, force: true });
    this.dir = void 0;
  }
};

// src/sandbox/types.ts
var DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function withDefaultPath(env) {
  return env.some((e) => e.startsWith("PATH=")) ? [...env] : [...env, `PATH=${DEFAULT_PATH}`];
}

// src/sandbox/warm-runner.ts
var import_node_child_process3 = __toESM(require_node_child_process(), 1);
var import_node_fs3 = __toESM(require_node_fs(), 1);
var import_node_path4 = __toESM(require_node_path(), 1);

// src/sandbox/runner-program.ts
var import_node_child_process2 = __toESM(require_node_child_process(), 1);
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_os4 = __toESM(require_node_os(), 1);
var import_node_readline = __toESM(require_node_readline(), 1);
var endMarker = (id) => `\0kts-run-end-${id}\0`;
function killLeftovers() {
  for (const name of (0, import_node_fs2.readdirSync)("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
    }
  }
}
function runOne(req) {
  return new Promise((resolve2) => {
    const child = (0, import_node_child_process2.spawn)(req.argv[0], req.argv.slice(1), {
      cwd: req.cwd,
      env: req.env,
      uid: req.uid,
      gid: req.gid,
      stdio: ["ignore", "inherit", "inherit"]
    });
    child.on("error", (e) => {
      resolve2({
        id: req.id,
        exitCode: e.code === "ENOENT" ? 127 : 126,
        error: `${req.argv[0]}: ${e.code ?? e.message}`
      });
    });
    child.on("exit", (code, signal) => {
      if (signal) resolve2({ id: req.id, exitCode: 128 + (import_node_os4.constants.signals[signal] ?? 0), signal });
      else resolve2({ id: req.id, exitCode: code ?? 1 });
    });
  });
}
async function runnerMain() {
  if (process.pid > 2) {
    process.stderr.write("kaniko-ts runner: not in a PID namespace of its own; refusing to start\n");
    process.exitCode = 70;
    return;
  }
  const lines = (0, import_node_readline.createInterface)({ input: process.stdin });
  for await (const line of lines) {
    if (line === "") continue;
    const req = JSON.parse(line);
    const result = await runOne(req);
    killLeftovers();
    const marker = endMarker(req.id);
    (0, import_node_fs2.writeSync)(1, marker);
    (0, import_node_fs2.writeSync)(2, marker);
    (0, import_node_fs2.writeSync)(3, `${JSON.stringify(result)}
`);
  }
}
if (import.meta.main && process.env.KANIKO_TS_SANDBOX_RUNNER === "1") await runnerMain();

// src/sandbox/warm-runner.ts
var KTS = "/dev/.kts";
function runnerSource() {
  for (const name of ["./runner-program.ts", "./runner-program.mjs"]) {
    try {
      const url = new URL(name, import.meta.url);
      if (url.protocol === "file:" && (0, import_node_fs3.existsSync)(url)) return url.pathname;
    } catch {
      return void 0;
    }
  }
  return void 0;
}
function isSingleExecutable() {
  const sea = process.getBuiltinModule("node:sea");
  return sea?.isSea() ?? false;
}
var runnerHow;
function runnerProgram() {
  if (runnerHow === void 0) {
    const source = runnerSource();
    runnerHow = isSingleExecutable() ? { script: void 0 } : source ? { script: source } : null;
  }
  return runnerHow;
}
function ownBinaries() {
  const libs = /* @__PURE__ */ new Set();
  let loader;
  for (const line of (0, import_node_fs3.readFileSync)("/proc/self/maps", "utf8").split("\n")) {
    const path = line.slice(line.indexOf("/"));
    if (!line.includes("/") || !/\.so(\.|$)/.test(path)) continue;
    if (/\/ld-(linux|musl)[^/]*$/.test(path)) loader = path;
    else libs.add(path);
  }
  return { loader, libs: [...libs] };
}
function warmEligible(spec) {
  return spec.keepWarm === true && runnerProgram() !== null && spec.mounts.length === 0 && spec.network === "default" && spec.security !== "insecure" && (spec.user.groups?.length ?? 0) === 0 && spec.hostsFile === void 0 && spec.resolvConf === void 0 && process.env.KANIKO_TS_WARM_RUNNER !== "0";
}
var Demux = class {
  #carry = Buffer.alloc(0);
  #pick;
  #current;
  #onEnd;
  constructor(source, pick, current, onEnd) {
    this.#pick = pick;
    this.#current = current;
    this.#onEnd = onEnd;
    source.on("data", (b) => this.#feed(b));
  }
  #feed(chunk) {
    let data = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    this.#carry = Buffer.alloc(0);
    for (; ; ) {
      const p = this.#current();
      if (!p) return;
      const marker = Buffer.from(endMarker(p.id));
      const at = data.indexOf(marker);
      if (at >= 0) {
        if (at > 0) this.#pick(p).write(data.subarray(0, at));
        data = data.subarray(at + marker.length);
        this.#onEnd();
        continue;
      }
      const nul = data.lastIndexOf(0);
      const keep = nul >= 0 && data.length - nul < marker.length ? data.length - nul : 0;
      if (data.length - keep > 0) this.#pick(p).write(data.subarray(0, data.length - keep));
      this.#carry = Buffer.from(data.subarray(data.length - keep));
      return;
    }
  }
};
var WarmRunner = class _WarmRunner {
  #child;
  #points;
  #nextId = 1;
  #pending;
  #dead;
  #closed;
  constructor(child, points) {
    this.#child = child;
    this.#points = points;
    this.#closed = new Promise((resolve2) => {
      child.on("close", (code, signal) => {
        this.#dead = `the sandbox runner exited (${signal ?? code})`;
        const p = this.#pending;
        this.#pending = void 0;
        p?.resolve({ exitCode: 128 + 9, signal: "SIGKILL" });
        resolve2();
      });
    });
    let results = "";
    const fd3 = child.stdio[3];
    fd3.on("data", (b) => {
      results += b.toString("utf8");
      for (let nl = results.indexOf("\n"); nl >= 0; nl = results.indexOf("\n")) {
        const r = JSON.parse(results.slice(0, nl));
        results = results.slice(nl + 1);
        if (this.#pending?.id === r.id) {
          this.#pending.result = r;
          this.#settle();
        }
      }
    });
    const onEnd = () => {
      if (this.#pending) {
        this.#pending.ends++;
        this.#settle();
      }
    };
    new Demux(
      child.stdout,
      (p) => p.spec.stdout,
      () => this.#pending,
      onEnd
    );
    new Demux(
      child.stderr,
      (p) => p.spec.stderr,
      () => this.#pending,
      onEnd
    );
  }
  /**
   * Starts the runner with `bindArgs` (the root, /proc, /dev, /sys, resolv.conf and hosts, as the
   * chroot sandbox binds them for every RUN).
   */
  static start(bwrap, bindArgs, points) {
    const { loader, libs } = ownBinaries();
    if (!loader) throw new SandboxError("cannot find the dynamic loader of this Node binary", "chroot");
    const dirs = [...new Set([loader, ...libs].map((p) => (0, import_node_path4.dirname)(p)))];
    const inside = (dir) => `${KTS}/lib${dirs.indexOf(dir)}`;
    const args = [...bindArgs, "--dir", KTS];
    for (const dir of dirs) args.push("--ro-bind", dir, inside(dir));
    args.push("--ro-bind", process.execPath, `${KTS}/node`);
    const source = runnerProgram()?.script;
    const script = source ? `${KTS}/runner${(0, import_node_path4.extname)(source)}` : void 0;
    if (source && script) args.push("--ro-bind", source, script);
    args.push("--unshare-pid", "--die-with-parent", "--cap-drop", "ALL");
    for (const c of DEFAULT_CAPABILITIES) args.push("--cap-add", c);
    args.push("--clearenv", "--setenv", "KANIKO_TS_SANDBOX_RUNNER", "1", "--chdir", "/", "--");
    const loaderInside = `${inside((0, import_node_path4.dirname)(loader))}/${(0, import_node_path4.basename)(loader)}`;
    args.push(loaderInside, "--library-path", dirs.map(inside).join(":"), `${KTS}/node`);
    if (script) args.push(script);
    const child = (0, import_node_child_process3.spawn)(bwrap, args, { stdio: ["pipe", "pipe", "pipe", "pipe"], detached: true, env: {} });
    return new _WarmRunner(child, points);
  }
  get alive() {
    return this.#dead === void 0;
  }
  #settle() {
    const p = this.#pending;
    if (!p?.result || p.ends < 2) return;
    this.#pending = void 0;
    const r = p.result;
    if (r.error) p.spec.stderr.write(`${r.error}
`);
    p.resolve(r.signal ? { exitCode: r.exitCode, signal: r.signal } : { exitCode: r.exitCode });
  }
  run(spec) {
    if (this.#dead) return Promise.reject(new SandboxError(this.#dead, "chroot"));
    if (this.#pending) return Promise.reject(new SandboxError("the sandbox runner is busy", "chroot"));
    if (spec.signal?.aborted) return Promise.resolve({ exitCode: 128 + 9, signal: "SIGKILL" });
    const env = {};
    for (const e of withDefaultPath(spec.env)) {
      const eq = e.indexOf("=");
      if (eq <= 0)
        throw new SandboxError(`environment entry "${e.split("=")[0]}" is not KEY=VALUE`, "chroot");
      env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    const req = {
      id: this.#nextId++,
      argv: spec.argv,
      env,
      cwd: spec.cwd,
      uid: spec.user.uid,
      gid: spec.user.gid
    };
    return new Promise((resolve2) => {
      this.#pending = { id: req.id, spec, ends: 0, resolve: resolve2 };
      const onAbort = () => this.kill();
      spec.signal?.addEventListener("abort", onAbort, { once: true });
      const done = (r) => {
        spec.signal?.removeEventListener("abort", onAbort);
        resolve2(r);
      };
      this.#pending.resolve = done;
      this.#child.stdin.write(`${JSON.stringify(req)}
`);
    });
  }
  kill() {
    try {
      if (this.#child.pid) process.kill(-this.#child.pid, "SIGKILL");
    } catch {
    }
  }
  /** Ends the runner and removes the mount targets it made in the root. */
  async close() {
    if (!this.#dead) this.#child.stdin.end();
    await this.#closed;
    await this.#points.cleanup();
  }
};

// src/sandbox/chroot.ts
var DEFAULT_BWRAP = "/usr/bin/bwrap";
var BWRAP_ENV = "KANIKO_TS_BWRAP";
function bwrapPath(env = process.env) {
  const p = env[BWRAP_ENV];
  if (p === void 0 || p === "") return DEFAULT_BWRAP;
  if (!(0, import_node_path5.isAbsolute)(p)) throw new SandboxError(`${BWRAP_ENV}=${p}: not an absolute path`);
  return p;
}
var SETPRIV = "/usr/bin/setpriv";
var UNSHARE = "/usr/bin/unshare";
function depth(p) {
  return p.split("/").filter(Boolean).length;
}
function switchesUser(spec) {
  return spec.user.uid !== 0 || spec.user.gid !== 0 || (spec.user.groups?.length ?? 0) > 0;
}
var ChrootSandbox = class {
  name;
  reason;
  onLeftBehind;
  bwrap;
  constructor(opts) {
    this.name = opts.name ?? "chroot";
    this.reason = opts.reason;
    this.onLeftBehind = opts.onLeftBehind;
    this.bwrap = bwrapPath();
  }
  /** Stage-long runners by root directory (plain RUNs only; see warm-runner.ts). */
  #warm = /* @__PURE__ */ new Map();
  async run(spec) {
    if (warmEligible(spec)) return this.#runWarm(spec);
    const points = new MountPoints(spec.rootfs);
    const secrets = new SecretFiles();
    try {
      const args = await this.bwrapArgs(spec, points, secrets);
      const comm = (0, import_node_path5.basename)(this.bwrap).slice(0, 15);
      const result = await runProcess(this.bwrap, args, spec, { managerComms: [comm] });
      const touched = this.#warm.get(spec.rootfs)?.points.touchedPaths() ?? [];
      return touched.length > 0 ? { ...result, touched } : result;
    } finally {
      await secrets.cleanup();
      const left = await points.cleanup();
      if (left.length > 0) this.onLeftBehind?.(left.map((l) => l.path));
    }
  }
  async #runWarm(spec) {
    let warm = this.#warm.get(spec.rootfs);
    if (!warm?.runner.alive) {
      if (warm) await warm.runner.close();
      const points = new MountPoints(spec.rootfs);
      const args = ["--bind", spec.rootfs, "/"];
      await this.runtimeArgs(spec, points, (p) => p, args);
      warm = { runner: WarmRunner.start(this.bwrap, args, points), points };
      this.#warm.set(spec.rootfs, warm);
    }
    const result = await warm.runner.run(spec);
    const touched = warm.points.touchedPaths();
    return touched.length > 0 ? { ...result, touched } : result;
  }
  async release(rootfs) {
    const warm = this.#warm.get(rootfs);
    if (!warm) return;
    this.#warm.delete(rootfs);
    await warm.runner.close();
  }
  /** /proc, /dev, /sys, resolv.conf and hosts, as every RUN gets them. */
  async runtimeArgs(spec, points, at, args) {
    args.push("--proc", at(await points.ensure("/proc", "dir")));
    args.push("--dev", at(await points.ensure("/dev", "dir")));
    args.push("--ro-bind", "/sys", at(await points.ensure("/sys", "dir")));
    args.push(
      "--ro-bind",
      spec.resolvConf ?? "/etc/resolv.conf",
      at(await points.ensure("/etc/resolv.conf", "file"))
    );
    args.push("--ro-bind", spec.hostsFile ?? "/etc/hosts", at(await points.ensure("/etc/hosts", "file")));
  }
  async bwrapArgs(spec, points, secrets) {
    const asUser = switchesUser(spec);
    const at = (inside) => asUser ? (0, import_node_path5.join)(spec.rootfs, inside) : inside;
    const args = asUser ? ["--bind", "/", "/"] : ["--bind", spec.rootfs, "/"];
    await this.runtimeArgs(spec, points, at, args);
    const targets = [];
    const mounts = [...spec.mounts].sort((a, b) => depth(a.target) - depth(b.target));
    for (const m of mounts) {
      const nested = targets.some(
        (t) => m.target === t || m.target.startsWith(t.endsWith("/") ? t : `${t}/`)
      );
      const place = async (kind) => at(nested ? m.target : await points.ensure(m.target, kind));
      switch (m.type) {
        case "bind": {
          const kind = (await (0, import_promises5.stat)(m.source)).isDirectory() ? "dir" : "file";
          args.push(m.readonly ? "--ro-bind" : "--bind", m.source, await place(kind));
          break;
        }
        case "cache":
          args.push("--bind", m.source, await place("dir"));
          break;
        case "tmpfs":
          args.push("--tmpfs", await place("dir"));
          break;
        case "secret":
          args.push("--ro-bind", await secrets.prepare(m), await place("file"));
          break;
        case "ssh":
          args.push("--bind", m.socket, await place("file"));
          break;
      }
      targets.push(m.target);
    }
    args.push("--unshare-pid", "--die-with-parent");
    if (spec.network === "none") args.push("--unshare-net");
    if (spec.security !== "insecure") {
      args.push("--cap-drop", "ALL");
      for (const c of DEFAULT_CAPABILITIES) args.push("--cap-add", c);
    }
    args.push("--clearenv");
    for (const e of withDefaultPath(spec.env)) {
      const eq = e.indexOf("=");
      if (eq <= 0)
        throw new SandboxError(`environment entry "${e.split("=")[0]}" is not KEY=VALUE`, this.name);
      args.push("--setenv", e.slice(0, eq), e.slice(eq + 1));
    }
    if (!asUser) {
      args.push("--chdir", spec.cwd, "--", ...spec.argv);
      return args;
    }
    const { uid, gid, groups = [] } = spec.user;
    const groupArgs = groups.length > 0 ? ["--groups", groups.join(",")] : ["--clear-groups"];
    args.push("--", SETPRIV, `--regid=${gid}`, ...groupArgs, "--");
    args.push(UNSHARE, `--root=${spec.rootfs}`, `--wd=${spec.cwd}`, `--setuid=${uid}`, "--", ...spec.argv);
    return args;
  }
};

// src/sandbox/in-place.ts
var import_promises6 = __toESM(require_promises(), 1);
var import_node_path6 = __toESM(require_node_path(), 1);
var InPlaceSandbox = class {
  name = "in-place";
  reason;
  warn;
  warned = /* @__PURE__ */ new Set();
  constructor(opts) {
    this.reason = opts.reason;
    this.warn = opts.warn;
  }
  warnOnce(key, message) {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn?.(message);
  }
  async run(spec) {
    if (spec.network === "none") {
      this.warnOnce("net", "in-place mode cannot isolate the network: RUN --network=none uses the network");
    }
    if ((spec.user.groups?.length ?? 0) > 0) {
      this.warnOnce("groups", "in-place mode does not set supplementary groups for RUN");
    }
    const points = new MountPoints(spec.rootfs);
    const placed = [];
    try {
      for (const m of spec.mounts) await this.place(spec.rootfs, m, points, placed);
      const env = {};
      for (const e of withDefaultPath(spec.env)) {
        const eq = e.indexOf("=");
        if (eq <= 0)
          throw new SandboxError(`environment entry "${e.split("=")[0]}" is not KEY=VALUE`, "in-place");
        env[e.slice(0, eq)] = e.slice(eq + 1);
      }
      const [cmd, ...args] = spec.argv;
      if (!cmd) throw new SandboxError("RUN has no command", "in-place");
      return await runProcess(cmd, args, spec, {
        env,
        cwd: (0, import_node_path6.join)(spec.rootfs, spec.cwd),
        uid: spec.user.uid,
        gid: spec.user.gid
      }).catch((e) => {
        if (e.code === "ENOENT") return { exitCode: 127 };
        if (e.code === "EACCES") return { exitCode: 126 };
        throw e;
      });
    } finally {
      for (const p of placed.reverse()) {
        await (0, import_promises6.rm)(p.host, { recursive: true, force: true });
        if (p.aside) await (0, import_promises6.rename)(p.aside, p.host);
      }
      await points.cleanup();
    }
  }
  async place(root, m, points, placed) {
    const resolved = await resolveInRoot(root, m.target);
    const inside = insidePath(resolved);
    const host = (0, import_node_path6.join)(root, inside);
    await points.ensure((0, import_node_path6.dirname)(inside), "dir");
    let aside;
    if (await (0, import_promises6.lstat)(host).catch(() => void 0)) {
      aside = `${host}.kaniko-ts-aside`;
      await (0, import_promises6.rename)(host, aside);
    }
    placed.push(aside ? { host, aside } : { host });
    switch (m.type) {
      case "bind":
        if (!m.readonly) this.warnOnce("rw", "in-place mode: read-write bind mounts write to their source");
        await (0, import_promises6.symlink)(m.source, host);
        break;
      case "cache":
        await (0, import_promises6.symlink)(m.source, host);
        break;
      case "ssh":
        await (0, import_promises6.symlink)(m.socket, host);
        break;
      case "tmpfs":
        await (0, import_promises6.mkdir)(host, { mode: 1023 });
        await (0, import_promises6.chmod)(host, 1023);
        break;
      case "secret":
        await (0, import_promises6.copyFile)(m.source, host);
        await (0, import_promises6.chown)(host, m.uid ?? 0, m.gid ?? 0);
        await (0, import_promises6.chmod)(host, m.mode ?? 256);
        break;
    }
  }
};

// src/sandbox/proot.ts
var import_promises7 = __toESM(require_promises(), 1);
var import_node_os5 = __toESM(require_node_os(), 1);
var import_node_path7 = __toESM(require_node_path(), 1);
var PROOT = "/usr/bin/proot";
function envObject(env) {
  const out = {};
  for (const e of withDefaultPath(env)) {
    const eq = e.indexOf("=");
    if (eq <= 0) throw new SandboxError(`environment entry "${e.split("=")[0]}" is not KEY=VALUE`, "proot");
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}
var ProotSandbox = class {
  name = "proot";
  reason;
  warn;
  warnedNetwork = false;
  constructor(opts) {
    this.reason = opts.reason;
    this.warn = opts.warn;
  }
  async run(spec) {
    if (spec.network === "none" && !this.warnedNetwork) {
      this.warnedNetwork = true;
      this.warn?.("proot cannot isolate the network: RUN --network=none runs with the host network");
    }
    const points = new MountPoints(spec.rootfs);
    const scratch = await (0, import_promises7.mkdtemp)((0, import_node_path7.join)((0, import_node_os5.tmpdir)(), "kaniko-ts-proot-"));
    try {
      const { uid, gid } = spec.user;
      const args = ["-r", spec.rootfs, "-w", spec.cwd];
      args.push(uid === 0 && gid === 0 ? "-0" : `--change-id=${uid}:${gid}`);
      const bind = async (source, target, kind) => {
        args.push("-b", `${source}:${await points.ensure(target, kind)}`);
      };
      await bind("/proc", "/proc", "dir");
      await bind("/dev", "/dev", "dir");
      await bind("/sys", "/sys", "dir");
      await bind(spec.resolvConf ?? "/etc/resolv.conf", "/etc/resolv.conf", "file");
      await bind(spec.hostsFile ?? "/etc/hosts", "/etc/hosts", "file");
      let n = 0;
      for (const m of spec.mounts) {
        switch (m.type) {
          case "bind":
          case "cache":
            await bind(m.source, m.target, m.type === "bind" && await isFile(m.source) ? "file" : "dir");
            break;
          case "tmpfs": {
            const dir = await (0, import_promises7.mkdtemp)((0, import_node_path7.join)(scratch, "tmpfs-"));
            await bind(dir, m.target, "dir");
            break;
          }
          case "secret": {
            const file = (0, import_node_path7.join)(scratch, `secret-${n++}`);
            await (0, import_promises7.copyFile)(m.source, file);
            await (0, import_promises7.chmod)(file, m.mode ?? 256);
            await bind(file, m.target, "file");
            break;
          }
          case "ssh":
            await bind(m.socket, m.target, "file");
            break;
        }
      }
      args.push(...spec.argv);
      return await runProcess(PROOT, args, spec, {
        env: envObject(spec.env),
        managerComms: ["proot"]
      });
    } finally {
      await (0, import_promises7.rm)(scratch, { recursive: true, force: true });
      await points.cleanup();
    }
  }
};
async function isFile(p) {
  return (await (0, import_promises7.stat)(p)).isFile();
}

// src/sandbox/select.ts
var EXECUTOR_IMAGE_MARKER = "/kaniko/.kaniko-ts-executor";
function succeeds(cmd, args) {
  return new Promise((resolve2) => {
    const child = (0, import_node_child_process4.spawn)(cmd, args, { stdio: "ignore" });
    child.on("error", () => resolve2(false));
    child.on("close", (code) => resolve2(code === 0));
  });
}
function canUseMountNamespaces() {
  const bwrap = bwrapPath();
  if (!(0, import_node_fs4.existsSync)(bwrap)) return Promise.resolve(false);
  return succeeds(bwrap, [
    "--bind",
    "/",
    "/",
    "--unshare-pid",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "/bin/true"
  ]);
}
async function namespaceSandbox(opts, forced) {
  const extra = opts.onLeftBehind ? { onLeftBehind: opts.onLeftBehind } : {};
  if (await inUserNamespace()) {
    const map = await uidMap();
    const ids = map.reduce((n, e) => n + e.count, 0);
    const reason2 = `${forced ? "forced" : "running as root of a user namespace"} (${ids} uid${ids === 1 ? "" : "s"} mapped): RUN in bubblewrap inside it`;
    return new ChrootSandbox({ name: "userns", reason: reason2, ...extra });
  }
  const reason = `${forced ? "forced" : "running as root with mount-namespace rights"}: RUN in bubblewrap with the rootfs as /`;
  return new ChrootSandbox({ name: "chroot", reason, ...extra });
}
function assertBwrapOverride() {
  const bwrap = bwrapPath();
  if (process.env[BWRAP_ENV] && !(0, import_node_fs4.existsSync)(bwrap))
    throw new SandboxError(`${BWRAP_ENV}=${bwrap}: no such file (it names the bubblewrap program to run)`);
}
var ROOTLESS_HINT = "a non-root build must first re-execute itself in a user namespace (enterUserNamespace) before choosing a sandbox";
function choosesInPlace(opts) {
  if (opts.forced !== void 0) return opts.forced === "in-place";
  return process.getuid?.() === 0 && (0, import_node_fs4.existsSync)(opts.markerPath ?? EXECUTOR_IMAGE_MARKER);
}
async function selectSandbox(opts) {
  const warn = opts.warn ? { warn: opts.warn } : {};
  const root = process.getuid?.() === 0;
  switch (opts.forced) {
    case "in-place":
      return new InPlaceSandbox({ reason: "forced: RUN straight in this container", ...warn });
    case "proot":
      if (!(0, import_node_fs4.existsSync)(PROOT)) throw new SandboxError(`${PROOT} is missing (Debian package proot)`, "proot");
      return new ProotSandbox({ reason: "forced: RUN under proot", ...warn });
    case "chroot":
    case "userns":
      if (!root) throw new SandboxError(ROOTLESS_HINT, opts.forced);
      assertBwrapOverride();
      if (!await canUseMountNamespaces()) {
        throw new SandboxError("bubblewrap cannot create mount and pid namespaces here", opts.forced);
      }
      if (opts.forced === "userns" && !await inUserNamespace()) {
        throw new SandboxError("this process is not inside a user namespace (run as non-root)", "userns");
      }
      return namespaceSandbox(opts, true);
    case void 0:
      break;
  }
  if (choosesInPlace(opts)) {
    return new InPlaceSandbox({
      reason: "inside the kaniko-ts executor image: RUN straight in this container",
      ...warn
    });
  }
  assertBwrapOverride();
  if (root && await canUseMountNamespaces()) return namespaceSandbox(opts, false);
  if (!root && await canCreateUserNamespace()) throw new SandboxError(ROOTLESS_HINT);
  if ((0, import_node_fs4.existsSync)(PROOT)) {
    return new ProotSandbox({
      reason: root ? "no mount-namespace rights (no CAP_SYS_ADMIN): RUN under proot" : "unprivileged user namespaces are not allowed: RUN under proot",
      ...warn
    });
  }
  throw new SandboxError(
    "no RUN sandbox works here: run as root with CAP_SYS_ADMIN and bubblewrap (chroot; /usr/bin/bwrap or $KANIKO_TS_BWRAP), allow unprivileged user namespaces (userns: sysctl user.max_user_namespaces > 0, kernel.unprivileged_userns_clone=1, a range in /etc/subuid and /etc/subgid), install proot (Debian package proot), or build inside the kaniko-ts executor image (in-place)"
  );
}

// src/build/base-trees.ts
var import_promises9 = __toESM(require_promises(), 1);
var import_node_path9 = __toESM(require_node_path(), 1);

// src/fs/clone-tree.ts
var import_node_child_process5 = __toESM(require_node_child_process(), 1);
var import_node_fs5 = __toESM(require_node_fs(), 1);
var import_promises8 = __toESM(require_promises(), 1);
var import_node_path8 = __toESM(require_node_path(), 1);
async function cloneTree(src, dest, opts = {}) {
  const inodes = /* @__PURE__ */ new Map();
  const asRoot = process.getuid?.() === 0;
  const dirs = [];
  const copy = async (from, to, rel) => {
    const st = await (0, import_promises8.lstat)(from);
    if (st.isDirectory()) {
      await (0, import_promises8.mkdir)(to).catch((e) => {
        if (!(opts.merge && e.code === "EEXIST")) throw e;
      });
      for (const name of (await (0, import_promises8.readdir)(from)).sort()) {
        const childRel = `${rel}/${name}`;
        if (!opts.skip?.(childRel)) await copy((0, import_node_path8.join)(from, name), (0, import_node_path8.join)(to, name), childRel);
      }
      dirs.push({ path: to, atime: st.atime, mtime: st.mtime });
    } else if (st.isSymbolicLink()) {
      await (0, import_promises8.symlink)(await (0, import_promises8.readlink)(from), to);
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? inodes.get(key) : void 0;
      if (first !== void 0) {
        await (0, import_promises8.link)(first, to);
        return;
      }
      if (st.nlink > 1) inodes.set(key, to);
      await (0, import_promises8.copyFile)(from, to, import_node_fs5.constants.COPYFILE_FICLONE);
    } else {
      return;
    }
    if (asRoot) await (0, import_promises8.lchown)(to, st.uid, st.gid);
    if (!st.isSymbolicLink()) await (0, import_promises8.chmod)(to, st.mode & 4095);
    if (!st.isDirectory()) await (0, import_promises8.lutimes)(to, st.atime, st.mtime);
  };
  await copy(src, dest, "");
  for (const d of dirs.reverse()) await (0, import_promises8.lutimes)(d.path, d.atime, d.mtime);
}
async function copyTree(src, dest) {
  const copied = await new Promise((resolve2, reject) => {
    const child = (0, import_node_child_process5.spawn)("cp", ["-a", "--reflink=auto", src, dest], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (b) => {
      err += b.toString();
    });
    child.on("error", (e) => e.code === "ENOENT" ? resolve2(false) : reject(e));
    child.on(
      "close",
      (code) => code === 0 ? resolve2(true) : reject(new Error(`cp failed: ${err.trim().split("\n")[0]}`))
    );
  });
  if (!copied) await cloneTree(src, dest);
}

// src/build/base-trees.ts
var BaseTrees = class {
  shared = /* @__PURE__ */ new Map();
  made = 0;
  root;
  /** `root` holds the shared extractions (inside the build's work directory). */
  constructor(root) {
    this.root = root;
  }
  /** Announces one more stage that will start from the base named `key`. */
  expect(key) {
    const s = this.shared.get(key);
    if (s) s.expected++;
    else this.shared.set(key, { expected: 1, taken: 0, layers: "", copies: [] });
  }
  /**
   * Fills `into` with the base `key` made of `layers` (digests in order), extracting it with
   * `extract` once for every stage that asks. Returns the image paths extraction skipped, or
   * undefined when this stage should extract for itself (no other stage shares the base).
   */
  async take(key, layers, into, extract) {
    const s = this.shared.get(key);
    const chain = layers.join(",");
    if (!s || s.expected < 2 || s.extracted && s.layers !== chain) return void 0;
    s.taken++;
    const last = s.taken === s.expected;
    if (!s.extracted) {
      const dir2 = (0, import_node_path9.join)(this.root, `base-${this.made++}`);
      s.layers = chain;
      s.extracted = extract(dir2).then((skipped2) => ({ dir: dir2, skipped: skipped2 }));
    }
    const { dir, skipped } = await s.extracted;
    if (!last) {
      const copy = (0, import_promises9.rm)(into, { recursive: true, force: true }).then(() => copyTree(dir, into));
      s.copies.push(copy);
      await copy;
      return skipped;
    }
    await Promise.allSettled(s.copies);
    await (0, import_promises9.rm)(into, { recursive: true, force: true });
    await (0, import_promises9.rename)(dir, into);
    return skipped;
  }
};

// src/image/digest-files.ts
var import_promises10 = __toESM(require_promises(), 1);
async function imageMetadata(image, digest, destinations) {
  const [manifest, raw, mediaType] = await Promise.all([
    image.manifest(),
    image.rawManifest(),
    image.mediaType()
  ]);
  const size = manifest.layers.reduce((n, l) => n + l.size, manifest.config.size);
  return {
    "containerimage.descriptor": { mediaType, digest, size: raw.length },
    "containerimage.config.digest": manifest.config.digest,
    "containerimage.digest": digest,
    ...destinations.length > 0 ? { "image.name": destinations.map((d) => d.toString()).join(",") } : {},
    "kaniko-ts.image.size": size
  };
}
async function writeAtomically(path, text) {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await (0, import_promises10.writeFile)(temp, text);
    await (0, import_promises10.rename)(temp, path);
  } catch (e) {
    await (0, import_promises10.rm)(temp, { force: true });
    throw e;
  }
}
async function writeDigestFiles(paths, digest, destinations) {
  if (paths.digestFile) await (0, import_promises10.writeFile)(paths.digestFile, digest);
  if (paths.imageNameWithDigestFile)
    await (0, import_promises10.writeFile)(paths.imageNameWithDigestFile, destinations.map((d) => `${d.name}@${digest}
`).join(""));
  if (paths.imageNameTagWithDigestFile)
    await (0, import_promises10.writeFile)(
      paths.imageNameTagWithDigestFile,
      destinations.map((d) => `${d.name}:${d.tag ?? "latest"}@${digest}
`).join("")
    );
}
async function writeMetadataFile(path, image, digest, destinations) {
  const metadata = await imageMetadata(image, digest, destinations);
  await writeAtomically(path, `${JSON.stringify(metadata, null, 2)}
`);
}

// src/image/tarball.ts
var import_node_fs6 = __toESM(require_node_fs(), 1);
var import_promises11 = __toESM(require_promises(), 1);
var import_promises12 = __toESM(require_promises2(), 1);
var import_tar_stream = __toESM(require_tar_stream(), 1);
var ENTRY = { mode: 420, mtime: /* @__PURE__ */ new Date(0), uid: 0, gid: 0 };
async function writeDockerArchive(image, path, repoTags) {
  const manifest = await image.manifest();
  const cfg = await image.rawConfig();
  const layers = await image.layers();
  const configName = `${hexOf(manifest.config.digest)}.json`;
  const layerNames = layers.map((l) => `${hexOf(l.digest)}.tar.gz`);
  const pack = import_tar_stream.default.pack();
  const tmp = `${path}.tmp-${process.pid}`;
  const written = (0, import_promises12.pipeline)(pack, (0, import_node_fs6.createWriteStream)(tmp));
  const put = (name, data) => new Promise(
    (resolve2, reject) => pack.entry({ name, size: data.length, ...ENTRY }, data, (e) => e ? reject(e) : resolve2())
  );
  try {
    await put(configName, cfg);
    const seen = /* @__PURE__ */ new Set();
    for (const [i, l] of layers.entries()) {
      const name = layerNames[i];
      if (seen.has(name)) continue;
      seen.add(name);
      const entry = pack.entry({ name, size: l.size, ...ENTRY });
      await (0, import_promises12.pipeline)(await l.open(), entry);
    }
    const dockerManifest = [{ Config: configName, RepoTags: [...repoTags], Layers: layerNames }];
    await put("manifest.json", Buffer.from(JSON.stringify(dockerManifest)));
    pack.finalize();
    await written;
    await (0, import_promises11.rename)(tmp, path);
  } catch (e) {
    pack.destroy(e);
    await written.catch(() => void 0);
    await (0, import_promises11.rm)(tmp, { force: true });
    throw e;
  }
}

// src/log/progress.ts
var import_node_stream = __toESM(require_node_stream(), 1);
var EVERY_MS = 1e3;
function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)}MB`;
}
var ByteProgress = class {
  done = 0;
  last;
  started;
  now;
  step;
  label;
  total;
  constructor(step, label, total, now = () => performance.now()) {
    this.step = step;
    this.label = label;
    this.total = total;
    this.now = now;
    this.started = now();
    this.last = this.started;
  }
  add(n) {
    this.done += n;
    const now = this.now();
    if (now - this.last < EVERY_MS) return;
    this.last = now;
    this.report(now);
  }
  /** The final count, if anything was reported before (short transfers stay silent). */
  finish() {
    if (this.last !== this.started) this.report(this.now());
  }
  report(now) {
    const of = this.total !== void 0 ? ` / ${mb(this.total)}` : "";
    this.step.log(`${this.label} ${mb(this.done)}${of} ${((now - this.started) / 1e3).toFixed(1)}s`);
  }
};
function progressStream(progress) {
  return new import_node_stream.Transform({
    transform(chunk, _enc, cb) {
      progress.add(chunk.length);
      cb(null, chunk);
    },
    flush(cb) {
      progress.finish();
      cb();
    }
  });
}

// src/build/outputs.ts
async function writeOutputs(image, destinations, opts, registry, log, ahead = {}) {
  let digest = await image.digest();
  let pushed = false;
  const local = [];
  if (opts.tarPath) {
    const tags = destinations.map((d) => d.toString());
    local.push(writeDockerArchive(image, opts.tarPath, tags.length > 0 ? tags : ["kaniko-ts/image:latest"]));
  }
  if (opts.ociLayoutPath) local.push(writeOciLayout(image, opts.ociLayoutPath));
  if (!opts.noPush && destinations.length > 0) {
    const step = log.step(`pushing ${destinations.map((d) => d.toString()).join(", ")}`);
    const progress = log.interactive ? new ByteProgress(step, "uploaded") : void 0;
    const result = await pushImage(image, destinations, registry, {
      ...progress ? { onBytes: (n) => progress.add(n) } : {},
      ...ahead.sessions ? { sessions: ahead.sessions } : {},
      ...ahead.present ? { present: ahead.present.lookup } : {}
    });
    progress?.finish();
    digest = result.digest;
    pushed = true;
    step.log(`digest ${digest}`);
    step.done();
  }
  await Promise.all(local);
  await writeDigestFiles(
    {
      ...opts.digestFile ? { digestFile: opts.digestFile } : {},
      ...opts.imageNameWithDigestFile ? { imageNameWithDigestFile: opts.imageNameWithDigestFile } : {},
      ...opts.imageNameTagWithDigestFile ? { imageNameTagWithDigestFile: opts.imageNameTagWithDigestFile } : {}
    },
    digest,
    destinations
  );
  if (opts.metadataFile) await writeMetadataFile(opts.metadataFile, image, digest, destinations);
  return { digest, pushed };
}

// src/build/rootfs-impl.ts
var import_promises15 = __toESM(require_promises(), 1);
var import_node_path14 = __toESM(require_node_path(), 1);
var import_node_stream3 = __toESM(require_node_stream(), 1);

// src/fs/ignore.ts
var import_node_path10 = __toESM(require_node_path(), 1);
function defaultIgnorePaths(opts = {}) {
  const paths = ["/proc", "/sys", "/dev", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/etc/mtab"];
  if (opts.builderDir) paths.push(opts.builderDir);
  if (opts.ignoreVarRun) paths.push("/var/run", "/run");
  paths.push(...opts.extra ?? []);
  return paths;
}
var IgnoreList = class {
  #paths = /* @__PURE__ */ new Set();
  constructor(paths = []) {
    for (const p of paths) this.add(p);
  }
  /** Adds an image path (mount targets, secrets...). */
  add(path) {
    const p = import_node_path10.posix.normalize(`/${path}`).replace(/\/+$/, "");
    if (p) this.#paths.add(p);
  }
  delete(path) {
    this.#paths.delete(import_node_path10.posix.normalize(`/${path}`).replace(/\/+$/, ""));
  }
  /** True for an ignored path itself (cheap; the walk never descends into ignored dirs). */
  isIgnoredExactly(path) {
    return this.#paths.has(path);
  }
  /** True for an ignored path or anything under it. */
  has(path) {
    if (this.#paths.size === 0) return false;
    for (let p = path; p.length > 0; p = p.slice(0, p.lastIndexOf("/"))) if (this.#paths.has(p)) return true;
    return false;
  }
  get paths() {
    return [...this.#paths].sort();
  }
};

// src/fs/snapshot.ts
var import_node_fs8 = __toESM(require_node_fs(), 1);
var import_node_path11 = __toESM(require_node_path(), 1);

// src/fs/stat-index.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_node_fs7 = __toESM(require_node_fs(), 1);
function kindOf(st) {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isSymbolicLink()) return "symlink";
  if (st.isCharacterDevice()) return "char";
  if (st.isBlockDevice()) return "block";
  if (st.isFIFO()) return "fifo";
  return "socket";
}
function entryFromStat(st, hostPath, seen) {
  const kind = kindOf(st);
  const e = {
    kind,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: Number(st.size),
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    ino: st.ino,
    nlink: Number(st.nlink),
    rdev: Number(st.rdev),
    seen
  };
  if (kind === "symlink") e.link = (0, import_node_fs7.readlinkSync)(hostPath);
  return e;
}
var RACY_WINDOW_NS = 50000000n;
function hashFile(hostPath) {
  const h = (0, import_node_crypto.createHash)("sha256");
  const fd = (0, import_node_fs7.openSync)(hostPath, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (; ; ) {
      const n = (0, import_node_fs7.readSync)(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    (0, import_node_fs7.closeSync)(fd);
  }
  return h.digest("hex");
}
var FsIndex = class {
  entries = /* @__PURE__ */ new Map();
  /** Current walk generation. */
  generation = 0;
  get size() {
    return this.entries.size;
  }
  get(path) {
    return this.entries.get(path);
  }
  /** Records `path` from an lstat of `hostPath` (missing → removed from the index). */
  record(path, hostPath) {
    let st;
    try {
      st = (0, import_node_fs7.lstatSync)(hostPath, { bigint: true });
    } catch {
      this.entries.delete(path);
      return void 0;
    }
    return this.recordStat(path, hostPath, st);
  }
  recordStat(path, hostPath, st) {
    const e = entryFromStat(st, hostPath, this.generation);
    this.markRacy(e, hostPath);
    this.entries.set(path, e);
    return e;
  }
  /** Hashes a file whose mtime is too recent to be trusted later. */
  markRacy(e, hostPath) {
    if (e.kind !== "file") return;
    const now = BigInt(Date.now()) * 1000000n;
    if (e.mtimeNs >= now - RACY_WINDOW_NS) e.hash = hashFile(hostPath);
  }
  /** Forgets `path` and everything under it. */
  deleteTree(path) {
    this.entries.delete(path);
    const prefix = path === "/" ? "/" : `${path}/`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
};

// src/fs/snapshot.ts
function devMajor(rdev) {
  return rdev >> 8 & 4095 | Math.floor(rdev / 2 ** 32) & ~4095;
}
function devMinor(rdev) {
  return rdev & 255 | rdev >> 12 & ~255;
}
var Snapshotter = class {
  root;
  ignore;
  index;
  constructor(opts) {
    this.root = opts.root;
    this.ignore = opts.ignore ?? new IgnoreList();
    this.index = opts.index ?? new FsIndex();
  }
  #host(path) {
    return (0, import_node_path11.join)(this.root, path);
  }
  /** Records the whole tree as the baseline (only needed when extraction did not feed the index). */
  init() {
    const gen = ++this.index.generation;
    this.#walk((path, host, st) => {
      this.index.recordStat(path, host, st);
      this.index.get(path).seen = gen;
    });
  }
  /** One walk: everything that differs from the index becomes an entry; the index is updated. */
  takeSnapshot() {
    const gen = ++this.index.generation;
    const changed = [];
    const added = [];
    const modified = [];
    this.#walk((path, host, st) => {
      const prev = this.index.get(path);
      if (prev && !this.#differs(prev, st, host)) {
        prev.seen = gen;
        return;
      }
      const entry = this.index.recordStat(path, host, st);
      (prev ? modified : added).push(path);
      changed.push({ path, host, entry });
    });
    const deleted = [];
    for (const [path, e] of this.index.entries) {
      if (e.seen === gen || path === "/" || this.ignore.has(path)) continue;
      const parent = path.slice(0, path.lastIndexOf("/")) || "/";
      const p = parent === "/" ? void 0 : this.index.get(parent);
      if (parent === "/" || p?.seen === gen && p.kind === "dir") deleted.push(path);
    }
    for (const path of deleted) this.index.deleteTree(path);
    for (const [path, e] of this.index.entries)
      if (e.seen !== gen && !this.ignore.has(path)) this.index.entries.delete(path);
    const entries = this.#entries(changed);
    const attrs = readXattrs(
      entries.flatMap((e) => e.type === "file" || e.type === "dir" ? [this.#host(e.path)] : [])
    );
    if (attrs.size > 0)
      for (const e of entries) {
        const x = attrs.get(this.#host(e.path));
        if (x) e.xattrs = x;
      }
    for (const path of deleted) entries.push({ path, type: "whiteout" });
    return { entries, added, modified, deleted };
  }
  /**
   * Records paths a COPY/ADD wrote (image paths, as returned by copyInto) without walking the
   * tree, and returns their entries. Parents' index records are refreshed silently.
   */
  addPaths(paths) {
    const gen = this.index.generation;
    const changed = [];
    const added = [];
    const modified = [];
    const parents = /* @__PURE__ */ new Set();
    for (const path of new Set(paths)) {
      if (this.ignore.has(path)) continue;
      const host = this.#host(path);
      let st;
      try {
        st = (0, import_node_fs8.lstatSync)(host, { bigint: true });
      } catch {
        continue;
      }
      const prev = this.index.get(path);
      const entry = this.index.recordStat(path, host, st);
      entry.seen = gen;
      (prev ? modified : added).push(path);
      changed.push({ path, host, entry });
      for (let p = path.slice(0, path.lastIndexOf("/")); p; p = p.slice(0, p.lastIndexOf("/")))
        parents.add(p);
    }
    for (const p of parents) {
      const prev = this.index.get(p);
      if (prev) {
        this.index.record(p, this.#host(p));
        const now = this.index.get(p);
        if (now) now.seen = prev.seen;
      }
    }
    return { entries: this.#entries(changed), added, modified, deleted: [] };
  }
  #differs(prev, st, host) {
    if (prev.ino !== st.ino || prev.mtimeNs !== st.mtimeNs || prev.ctimeNs !== st.ctimeNs || prev.size !== Number(st.size) || prev.mode !== Number(st.mode & 0o7777n) || prev.uid !== Number(st.uid) || prev.gid !== Number(st.gid) || prev.nlink !== Number(st.nlink))
      return true;
    if (prev.hash !== void 0) return hashFile(host) !== prev.hash;
    return false;
  }
  #walk(visit) {
    const stack = [["", this.root]];
    while (stack.length > 0) {
      const [dir, dirHost] = stack.pop();
      let names;
      try {
        names = (0, import_node_fs8.readdirSync)(dirHost);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = `${dir}/${name}`;
        if (this.ignore.isIgnoredExactly(path)) continue;
        const host = `${dirHost === "/" ? "" : dirHost}/${name}`;
        let st;
        try {
          st = (0, import_node_fs8.lstatSync)(host, { bigint: true });
        } catch {
          continue;
        }
        visit(path, host, st);
        if (st.isDirectory()) stack.push([path, host]);
      }
    }
  }
  /** Observed paths → layer entries; paths sharing an inode become one file plus hardlinks. */
  #entries(changed) {
    const firstOfInode = /* @__PURE__ */ new Map();
    const sorted = [...changed].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    const out = [];
    for (const { path, host, entry: e } of sorted) {
      const base = { path, mode: e.mode, uid: e.uid, gid: e.gid, mtime: Number(e.mtimeNs / 1000000000n) };
      switch (e.kind) {
        case "file": {
          const first = e.nlink > 1 ? firstOfInode.get(e.ino) : void 0;
          if (first !== void 0) out.push({ ...base, type: "hardlink", linkname: first });
          else {
            if (e.nlink > 1) firstOfInode.set(e.ino, path);
            out.push({ ...base, type: "file", source: host });
          }
          break;
        }
        case "dir":
          out.push({ ...base, type: "dir" });
          break;
        case "symlink":
          out.push({ ...base, type: "symlink", linkname: e.link ?? "" });
          break;
        case "char":
        case "block":
          out.push({ ...base, type: e.kind, devmajor: devMajor(e.rdev), devminor: devMinor(e.rdev) });
          break;
        case "fifo":
          out.push({ ...base, type: "fifo" });
          break;
        case "socket":
          break;
      }
    }
    return out;
  }
};

// src/layer/write-layer.ts
var import_node_crypto2 = __toESM(require_node_crypto(), 1);
var import_promises14 = __toESM(require_promises(), 1);
var import_node_path13 = __toESM(require_node_path(), 1);

// src/layer/entry.ts
var LAYER_MEDIA_TYPES = {
  gzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  zstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  none: "application/vnd.oci.image.layer.v1.tar"
};
function parentPath(p) {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

// src/layer/parallel-gzip.ts
var import_node_stream2 = __toESM(require_node_stream(), 1);
var import_node_zlib = __toESM(require_node_zlib(), 1);
var BLOCK_SIZE = 1 << 20;
var DICT_SIZE = 32 * 1024;
var SAMPLE_SIZE = 8 * 1024;
var IN_FLIGHT = 4;
var GZIP_HEADER = Buffer.from([31, 139, 8, 0, 0, 0, 0, 0, 0, 255]);
var outputSize = (n) => n + (n >> 6) + 64 * 1024;
function compressParts(engine, input) {
  return new Promise((resolve2, reject) => {
    const parts = [];
    engine.on("data", (b) => {
      if (b.buffer.byteLength > POOL_SAFE) zlibOutputs.add(b.buffer);
      parts.push(b);
    });
    engine.once("error", reject);
    engine.once("end", () => resolve2(parts));
    engine.end(input);
  });
}
var POOL_SAFE = 64 * 1024;
var zlibOutputs = /* @__PURE__ */ new WeakSet();
function releaseOutput(memory) {
  if (!zlibOutputs.has(memory) || !(memory instanceof ArrayBuffer) || memory.detached) return;
  try {
    memory.transfer(0);
  } catch {
  }
}
var deflateRaw = (input, opts) => compressParts(import_node_zlib.default.createDeflateRaw(opts), input);
async function deflateBlock(block, level, dictionary) {
  const opts = {
    level,
    finishFlush: import_node_zlib.default.constants.Z_SYNC_FLUSH,
    chunkSize: outputSize(block.length)
  };
  if (level > 0 && await looksIncompressible(block)) opts.level = 0;
  else if (dictionary) opts.dictionary = dictionary;
  return deflateRaw(block, opts);
}
async function looksIncompressible(block) {
  if (block.length < SAMPLE_SIZE * 8) return false;
  const sample = Buffer.concat(
    [0, block.length - SAMPLE_SIZE >> 1, block.length - SAMPLE_SIZE].map(
      (at) => block.subarray(at, at + SAMPLE_SIZE)
    )
  );
  const out = await deflateRaw(sample, { level: 1 });
  return out.reduce((n, b) => n + b.length, 0) > sample.length * 0.98;
}
var BlockCompressor = class extends import_node_stream2.Transform {
  #blockSize;
  #free = [];
  #block;
  #fill = 0;
  #queue = [];
  constructor(blockSize) {
    super({ highWaterMark: blockSize });
    this.#blockSize = blockSize;
  }
  _transform(chunk, _enc, cb) {
    for (let at = 0; at < chunk.length; ) {
      this.#block ??= this.#free.pop() ?? Buffer.allocUnsafe(this.#blockSize);
      const n = chunk.copy(this.#block, this.#fill, at);
      this.#fill += n;
      at += n;
      if (this.#fill === this.#blockSize) this.#submit();
    }
    this.#drain(IN_FLIGHT).then(() => cb(), cb);
  }
  _flush(cb) {
    if (this.#fill > 0 || this.#queue.length === 0) this.#submit();
    this.#drain(0).then(() => {
      for (const b of this.trailer()) this.push(b);
      cb();
    }, cb);
  }
  #submit() {
    const block = this.#block ?? Buffer.alloc(0);
    const job = this.compress(block.subarray(0, this.#fill));
    this.#block = void 0;
    this.#fill = 0;
    const recycle = () => {
      if (block.length === this.#blockSize) this.#free.push(block);
    };
    job.then(recycle, recycle);
    this.#queue.push(job);
  }
  async #drain(max) {
    while (this.#queue.length > max) for (const b of await this.#queue.shift()) this.push(b);
  }
};
var ParallelGzip = class extends BlockCompressor {
  #level;
  #crc = 0;
  #isize = 0;
  #dictionary;
  constructor(level = 1) {
    super(BLOCK_SIZE);
    this.#level = level;
    this.push(GZIP_HEADER);
  }
  compress(block) {
    this.#crc = import_node_zlib.default.crc32(block, this.#crc);
    this.#isize = (this.#isize + block.length) % 4294967296;
    const job = deflateBlock(block, this.#level, this.#dictionary);
    this.#dictionary = Buffer.from(block.subarray(Math.max(0, block.length - DICT_SIZE)));
    return job;
  }
  trailer() {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.#crc >>> 0, 0);
    trailer.writeUInt32LE(this.#isize >>> 0, 4);
    return [import_node_zlib.default.deflateRawSync(Buffer.alloc(0), { level: this.#level }), trailer];
  }
};
var ParallelZstd = class extends BlockCompressor {
  #level;
  constructor(level = 3) {
    super(ZSTD_BLOCK);
    this.#level = level;
  }
  compress(block) {
    const params = {
      [import_node_zlib.default.constants.ZSTD_c_compressionLevel]: this.#level,
      [import_node_zlib.default.constants.ZSTD_c_checksumFlag]: 1
    };
    const opts = { params, pledgedSrcSize: block.length, chunkSize: outputSize(block.length) };
    return compressParts(import_node_zlib.default.createZstdCompress(opts), block);
  }
  trailer() {
    return [];
  }
};
var ZSTD_BLOCK = 1 << 20;

// src/layer/tar-stream.ts
var import_node_fs9 = __toESM(require_node_fs(), 1);
var import_promises13 = __toESM(require_promises(), 1);
var import_node_path12 = __toESM(require_node_path(), 1);
var import_node_util = __toESM(require_node_util(), 1);

// src/layer/errors.ts
var LayerWriteError = class extends Error {
  name = "LayerWriteError";
  path;
  constructor(path, message) {
    super(`writing layer entry ${path}: ${message}`);
    this.path = path;
  }
};

// src/layer/tar-header.ts
var BLOCK = 512;
var MAX_OCTAL_8 = 2097151;
var MAX_OCTAL_12 = 8589934591;
function isAscii(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 126 || s.charCodeAt(i) < 32) return false;
  return true;
}
function writeOctal(buf, value, offset, width) {
  buf.write(value.toString(8).padStart(width - 1, "0"), offset, width - 1, "ascii");
  buf[offset + width - 1] = 0;
}
function splitUstar(name) {
  if (name.length <= 100) return ["", name];
  for (let i = name.indexOf("/"); i !== -1 && i < name.length - 1; i = name.indexOf("/", i + 1)) {
    if (i > 155) return null;
    if (name.length - i - 1 <= 100) return [name.slice(0, i), name.slice(i + 1)];
  }
  return null;
}
function paxRecord(key, value) {
  const body = Buffer.byteLength(key) + value.length + 3;
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len = body + String(len).length;
  return Buffer.concat([Buffer.from(`${len} ${key}=`), value, Buffer.from("\n")]);
}
function ustarBlock(h, typeflag, name, prefix, linkname) {
  const buf = Buffer.alloc(BLOCK);
  buf.write(name, 0, 100, "utf8");
  writeOctal(buf, h.mode & 4095, 100, 8);
  writeOctal(buf, h.uid <= MAX_OCTAL_8 ? h.uid : 0, 108, 8);
  writeOctal(buf, h.gid <= MAX_OCTAL_8 ? h.gid : 0, 116, 8);
  writeOctal(buf, h.size <= MAX_OCTAL_12 ? h.size : 0, 124, 12);
  writeOctal(buf, Math.min(Math.max(0, Math.floor(h.mtime)), MAX_OCTAL_12), 136, 12);
  buf.write(typeflag, 156, 1, "ascii");
  buf.write(linkname, 157, 100, "utf8");
  buf.write("ustar\x0000", 257, 8, "ascii");
  writeOctal(buf, h.devmajor ?? 0, 329, 8);
  writeOctal(buf, h.devminor ?? 0, 337, 8);
  buf.write(prefix, 345, 155, "utf8");
  buf.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += buf[i];
  buf.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return buf;
}
function encodeHeader(h) {
  const records = [];
  const split = isAscii(h.name) ? splitUstar(h.name) : null;
  const link2 = h.linkname ?? "";
  if (!split) records.push(["path", Buffer.from(h.name)]);
  if (link2.length > 100 || !isAscii(link2)) records.push(["linkpath", Buffer.from(link2)]);
  if (h.size > MAX_OCTAL_12) records.push(["size", Buffer.from(String(h.size))]);
  if (h.uid > MAX_OCTAL_8) records.push(["uid", Buffer.from(String(h.uid))]);
  if (h.gid > MAX_OCTAL_8) records.push(["gid", Buffer.from(String(h.gid))]);
  for (const [k, v] of Object.entries(h.xattrs ?? {})) records.push([`SCHILY.xattr.${k}`, v]);
  records.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const [prefix, name] = split ?? ["", asciiTruncate(h.name, 100)];
  const main = ustarBlock(h, h.typeflag, name, prefix, records.some((r) => r[0] === "linkpath") ? "" : link2);
  if (records.length === 0) return main;
  const data = Buffer.concat(records.map(([k, v]) => paxRecord(k, v)));
  const paxHeader = ustarBlock(
    { name: "", typeflag: "0", mode: 420, uid: 0, gid: 0, size: data.length, mtime: 0 },
    "x",
    "PaxHeader",
    "",
    ""
  );
  return Buffer.concat([paxHeader, data, Buffer.alloc(padding(data.length)), main]);
}
function asciiTruncate(s, max) {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c >= 32 && c <= 126 ? ch : "_";
    if (out.length >= max) break;
  }
  return out;
}
function padding(size) {
  const r = size % BLOCK;
  return r === 0 ? 0 : BLOCK - r;
}
var END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

// src/layer/tar-stream.ts
var TYPEFLAGS = {
  file: "0",
  hardlink: "1",
  symlink: "2",
  char: "3",
  block: "4",
  dir: "5",
  fifo: "6"
};
function tarName(e) {
  const rel = e.path.replace(/^\/+/, "");
  if (e.type === "whiteout") {
    const i = rel.lastIndexOf("/");
    return `${rel.slice(0, i + 1)}.wh.${rel.slice(i + 1)}`;
  }
  if (e.type === "opaque") return rel ? `${rel}/.wh..wh..opq` : ".wh..wh..opq";
  return rel;
}
function compareNames(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
async function normaliseEntries(entries, root) {
  const byName = /* @__PURE__ */ new Map();
  for (const e of entries) {
    if (e.path === "/" || e.path === "") continue;
    byName.set(tarName(e), e);
  }
  const dirs = /* @__PURE__ */ new Set();
  for (const e of byName.values()) if (e.type === "dir") dirs.add(e.path);
  const missing = /* @__PURE__ */ new Set();
  for (const e of byName.values()) {
    const start = e.type === "opaque" ? e.path : parentPath(e.path);
    for (let p = start; p !== "/" && !dirs.has(p) && !missing.has(p); p = parentPath(p)) missing.add(p);
  }
  for (const p of missing) byName.set(p.slice(1), await implicitDir(p, root));
  return [...byName.entries()].sort((a, b) => compareNames(a[0], b[0])).map(([, e]) => e);
}
async function implicitDir(path, root) {
  if (root) {
    const st = await (0, import_promises13.lstat)((0, import_node_path12.join)(root, path)).catch(() => void 0);
    if (st?.isDirectory())
      return {
        path,
        type: "dir",
        mode: st.mode & 4095,
        uid: st.uid,
        gid: st.gid,
        mtime: st.mtimeMs / 1e3
      };
  }
  return { path, type: "dir", mode: 493, uid: 0, gid: 0, mtime: 0 };
}
function clampMtime(mtime, opts) {
  const t = Math.max(0, Math.floor(mtime ?? 0));
  if (opts.reproducible) return opts.sourceDateEpoch ?? 0;
  return opts.sourceDateEpoch !== void 0 ? Math.min(t, opts.sourceDateEpoch) : t;
}
function header(e, opts, size) {
  const name = tarName(e);
  if (e.type === "whiteout" || e.type === "opaque")
    return { name, typeflag: "0", mode: 0, uid: 0, gid: 0, size: 0, mtime: clampMtime(0, opts) };
  const typeflag = TYPEFLAGS[e.type];
  if (!typeflag) throw new LayerWriteError(e.path, `unknown entry type ${e.type}`);
  const h = {
    name: e.type === "dir" ? `${name}/` : name,
    typeflag,
    mode: e.mode ?? (e.type === "dir" ? 493 : 420),
    uid: e.uid ?? 0,
    gid: e.gid ?? 0,
    size,
    mtime: clampMtime(e.mtime, opts)
  };
  if (e.type === "symlink") h.linkname = e.linkname ?? "";
  if (e.type === "hardlink") h.linkname = (e.linkname ?? "").replace(/^\/+/, "");
  if (e.type === "char" || e.type === "block") {
    h.devmajor = e.devmajor ?? 0;
    h.devminor = e.devminor ?? 0;
  }
  if (e.xattrs && Object.keys(e.xattrs).length) h.xattrs = e.xattrs;
  return h;
}
var READ_CHUNK = 1 << 20;
var readAsync = (0, import_node_util.promisify)(import_node_fs9.read);
function openSource(e) {
  if (!e.source) throw new LayerWriteError(e.path, "file entry without a source");
  try {
    return (0, import_node_fs9.openSync)(e.source, "r");
  } catch (err) {
    const code = err.code;
    throw new LayerWriteError(e.path, `cannot read ${e.source}: ${code ?? err.message}`);
  }
}
async function* tarChunks(entries, opts = {}) {
  let buf;
  for (const e of entries) {
    if (e.type !== "file") {
      yield encodeHeader(header(e, opts, 0));
      continue;
    }
    const fd = openSource(e);
    try {
      const size = (0, import_node_fs9.fstatSync)(fd).size;
      const head = encodeHeader(header(e, opts, size));
      const pad = padding(size);
      buf ??= Buffer.allocUnsafe(READ_CHUNK);
      if (head.length + size + pad <= buf.length) {
        head.copy(buf, 0);
        let got = 0;
        while (got < size) {
          const n = (0, import_node_fs9.readSync)(fd, buf, head.length + got, size - got, null);
          if (n === 0) break;
          got += n;
        }
        buf.fill(0, head.length + got, head.length + size + pad);
        yield buf.subarray(0, head.length + size + pad);
        continue;
      }
      yield head;
      let left = size;
      while (left > 0) {
        const { bytesRead } = await readAsync(fd, buf, 0, Math.min(left, READ_CHUNK), null);
        if (bytesRead === 0) break;
        left -= bytesRead;
        yield buf.subarray(0, bytesRead);
      }
      if (left > 0) yield Buffer.alloc(left);
      if (pad) yield Buffer.alloc(pad);
    } finally {
      (0, import_node_fs9.closeSync)(fd);
    }
  }
  yield END_OF_ARCHIVE;
}

// src/layer/write-layer.ts
function compressor(compression, level) {
  if (compression === "gzip") return new ParallelGzip(level ?? 1);
  if (compression === "zstd") return new ParallelZstd(level ?? 3);
  return void 0;
}
async function writeLayer(entries, opts) {
  const compression = opts.compression ?? "gzip";
  const sorted = await normaliseEntries(entries, opts.root);
  await (0, import_promises14.mkdir)(opts.dir, { recursive: true });
  const tmp = (0, import_node_path13.join)(opts.dir, `.layer-${(0, import_node_crypto2.randomBytes)(6).toString("hex")}.tmp`);
  const diff = (0, import_node_crypto2.createHash)("sha256");
  const blob = (0, import_node_crypto2.createHash)("sha256");
  let uncompressedSize = 0;
  let size = 0;
  const comp = compressor(compression, opts.level);
  let out;
  try {
    out = await (0, import_promises14.open)(tmp, "w");
    const file = out;
    const feed = async () => {
      for await (const chunk of tarChunks(sorted, opts)) {
        diff.update(chunk);
        uncompressedSize += chunk.length;
        if (!comp) await writeAll(file, chunk);
        else
          await new Promise((resolve2, reject) => comp.write(chunk, (e) => e ? reject(e) : resolve2()));
      }
      comp?.end();
    };
    const drain = (c) => new Promise((resolve2, reject) => {
      let held;
      c.on("data", (piece) => {
        c.pause();
        blob.update(piece);
        size += piece.length;
        writeAll(file, piece).then(
          () => {
            if (held && held !== piece.buffer) releaseOutput(held);
            held = piece.buffer;
            c.resume();
          },
          (e) => c.destroy(e)
        );
      });
      c.once("end", () => {
        if (held) releaseOutput(held);
        resolve2();
      });
      c.once("error", reject);
    });
    if (comp)
      await Promise.all([
        feed().catch((e) => {
          comp.destroy(e);
          throw e;
        }),
        drain(comp)
      ]);
    else await feed();
    await out.close();
    out = void 0;
    const diffID = `sha256:${diff.digest("hex")}`;
    const digest = comp ? `sha256:${blob.digest("hex")}` : diffID;
    const path = (0, import_node_path13.join)(opts.dir, digest.slice("sha256:".length));
    await (0, import_promises14.rename)(tmp, path);
    return {
      path,
      digest,
      diffID,
      size: comp ? size : uncompressedSize,
      uncompressedSize,
      mediaType: LAYER_MEDIA_TYPES[compression],
      entries: sorted.length
    };
  } catch (e) {
    await out?.close().catch(() => {
    });
    await (0, import_promises14.rm)(tmp, { force: true });
    throw e;
  }
}
async function writeAll(file, data) {
  for (let at = 0; at < data.length; ) {
    const { bytesWritten } = await file.write(data, at, data.length - at);
    at += bytesWritten;
  }
}

// src/build/rootfs-impl.ts
var DirRootfs = class {
  dir;
  ctx;
  index = new FsIndex();
  ignoreList;
  snapshotter;
  /** Mount targets of the last RUN: left out of the next snapshot only. */
  transient = [];
  isMaterialized = false;
  extractSkipsIgnored = false;
  /** Image paths the base has but extraction left alone (ignored, or devices without rights). */
  skippedByExtraction = /* @__PURE__ */ new Set();
  /** Names the base image for BaseTrees: stages with the same key share one extraction. */
  shareKey;
  /** `ignorePaths` replaces the defaults (in-place mode adds the builder's own paths). */
  constructor(ctx, dir, ignorePaths, shareKey) {
    this.ctx = ctx;
    this.dir = dir;
    this.shareKey = shareKey;
    this.ignoreList = new IgnoreList(
      ignorePaths ?? defaultIgnorePaths({ ignoreVarRun: ctx.opts.ignoreVarRun ?? false, extra: ctx.opts.ignorePaths })
    );
    this.snapshotter = new Snapshotter({ root: dir, ignore: this.ignoreList, index: this.index });
  }
  get materialized() {
    return this.isMaterialized;
  }
  pending;
  materialize(layers, signal) {
    this.pending ??= this.extractBase(layers, signal);
    return this.pending;
  }
  /** Makes `dir` ready to receive the base (in-place mode empties `/` here). */
  async prepare() {
    await (0, import_promises15.mkdir)(this.dir, { recursive: true });
  }
  async extractBase(layers, signal) {
    const step = layers.length > 0 ? this.ctx.log.step(`[internal] extract ${layers.length} base layer(s)`) : void 0;
    const shared = this.shareKey !== void 0 && layers.length > 0 ? await this.ctx.baseTrees?.take(
      this.shareKey,
      layers.map((l) => l.digest),
      this.dir,
      (dir) => this.extractInto(dir, layers, step, signal)
    ) : void 0;
    if (shared) {
      for (const p of shared) this.skippedByExtraction.add(p);
      this.snapshotter.init();
    } else {
      await this.prepare();
      const skipped = await this.extractInto(this.dir, layers, step, signal, this.index);
      for (const p of skipped) this.skippedByExtraction.add(p);
      if (layers.length === 0) this.snapshotter.init();
    }
    step?.done();
    this.isMaterialized = true;
  }
  /** Extracts `layers` in order into `dir`; returns the image paths extraction left alone. */
  async extractInto(dir, layers, step, signal, index) {
    const skipped = /* @__PURE__ */ new Set();
    if (dir !== this.dir) await (0, import_promises15.mkdir)(dir, { recursive: true });
    let next = layers[0]?.open();
    next?.catch(() => void 0);
    for (let i = 0; i < layers.length; i++) {
      signal?.throwIfAborted();
      const layer = layers[i];
      let stream = await next;
      if (step && this.ctx.log.interactive) {
        const shown = progressStream(new ByteProgress(step, layer.digest.slice(0, 19), layer.size));
        (0, import_node_stream3.pipeline)(stream, shown, () => void 0);
        stream = shown;
      }
      next = layers[i + 1]?.open();
      next?.catch(() => void 0);
      const extracted = await extractLayer(stream, {
        mediaType: layer.mediaType,
        root: dir,
        ...index ? { index } : {},
        // In place, what the container itself mounts (/proc, /etc/hosts...) must stay untouched.
        ...this.extractSkipsIgnored ? { ignore: this.ignoreList } : {},
        where: layer.digest
      });
      if (extracted.mediaTypeMismatch) this.ctx.log.warn(extracted.mediaTypeMismatch);
      for (const s of extracted.skipped) skipped.add(s.path);
    }
    return skipped;
  }
  async applyLayers(layers, signal) {
    for (const layer of layers) {
      signal?.throwIfAborted();
      const extracted = await extractLayer(await layer.open(), {
        mediaType: layer.mediaType,
        root: this.dir,
        index: this.index,
        ...this.extractSkipsIgnored ? { ignore: this.ignoreList } : {},
        where: layer.digest
      });
      if (extracted.mediaTypeMismatch) this.ctx.log.warn(extracted.mediaTypeMismatch);
      for (const s of extracted.skipped) this.skippedByExtraction.add(s.path);
    }
  }
  async cloneFrom(other) {
    await (0, import_promises15.rm)(this.dir, { recursive: true, force: true });
    await copyTree(other.dir, this.dir);
    this.snapshotter.init();
    this.isMaterialized = true;
    this.pending = Promise.resolve();
  }
  async write(res) {
    const opts = this.ctx.opts;
    const written = await writeLayer(res.entries, {
      dir: this.ctx.work.layers,
      root: this.dir,
      compression: opts.compression,
      ...opts.compressionLevel !== void 0 ? { level: opts.compressionLevel } : {},
      ...this.ctx.sourceDateEpoch !== void 0 ? { sourceDateEpoch: this.ctx.sourceDateEpoch } : {},
      reproducible: opts.reproducible
    });
    return {
      path: written.path,
      digest: written.digest,
      diffID: written.diffID,
      size: written.size,
      mediaType: written.mediaType
    };
  }
  async snapshotAll(createdDirs = []) {
    for (const p of this.transient) this.ignoreList.add(p);
    try {
      const t0 = performance.now();
      const res = this.snapshotter.takeSnapshot();
      const walked = new Set(res.entries.map((e) => e.path));
      for (const e of await this.runtimeEntries(createdDirs)) if (!walked.has(e.path)) res.entries.push(e);
      const t1 = performance.now();
      const layer = await this.write(res);
      this.ctx.log.debug(
        `walk ${(t1 - t0).toFixed(0)} ms (${res.entries.length} changes), layer ${(performance.now() - t1).toFixed(0)} ms`
      );
      return layer;
    } finally {
      for (const p of this.transient) this.ignoreList.delete(p);
      this.transient = [];
    }
  }
  /** Does the image this root holds have `path`, even where extraction left it out? */
  imageHas(path) {
    return this.index.get(path) !== void 0 || this.skippedByExtraction.has(path);
  }
  /** Layer entries for directories the RUN's runtime created (ignored by the walk itself). */
  async runtimeEntries(createdDirs) {
    const entries = [];
    for (const path of createdDirs) {
      const st = await (0, import_promises15.lstat)((0, import_node_path14.join)(this.dir, path));
      entries.push({
        path,
        type: "dir",
        mode: st.mode & 4095,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1e3)
      });
    }
    return entries;
  }
  async snapshotPaths(paths) {
    return this.write(this.snapshotter.addPaths(paths));
  }
  ignore(paths) {
    this.transient.push(...paths);
  }
};
function createStageRootfs(ctx, dir, shareKey) {
  return new DirRootfs(ctx, dir, void 0, shareKey);
}

// src/build/rootfs-in-place.ts
var import_promises16 = __toESM(require_promises(), 1);
var import_node_path15 = __toESM(require_node_path(), 1);
var RootLease = class {
  #tail = Promise.resolve();
  acquire() {
    let release;
    const held = new Promise((r) => {
      release = r;
    });
    const turn = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return turn;
  }
};
var leases = /* @__PURE__ */ new WeakMap();
var RUNTIME_PATHS = ["/dev", "/proc", "/sys", "/etc/hosts", "/etc/resolv.conf"];
async function mountPoints() {
  const text = await (0, import_promises16.readFile)("/proc/self/mountinfo", "utf8").catch(() => "");
  const points = /* @__PURE__ */ new Set();
  for (const line of text.split("\n")) {
    const field = line.split(" ")[4];
    if (!field || field === "/") continue;
    points.add(field.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(Number.parseInt(o, 8))));
  }
  return [...points];
}
async function inPlaceIgnorePaths(ctx) {
  const paths = ["/proc", "/sys", "/dev", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/etc/mtab"];
  paths.push("/kaniko", "/busybox", ctx.contextDir, ctx.work.root, ...await mountPoints());
  if (ctx.opts.ignoreVarRun ?? true) paths.push("/var/run", "/run");
  if (process.env.DOCKER_CONFIG) paths.push(process.env.DOCKER_CONFIG);
  paths.push(...ctx.opts.ignorePaths);
  return paths;
}
async function keptEntries(root, ignored, onAncestor) {
  const out = [];
  const visit = async (dir) => {
    for (const name of (await (0, import_promises16.readdir)(dir)).sort()) {
      const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
      if (ignored.some((p) => p === path || path.startsWith(`${p}/`))) continue;
      if (ignored.some((p) => p.startsWith(`${path}/`)) && (await (0, import_promises16.lstat)(path)).isDirectory()) {
        await onAncestor(path);
        await visit(path);
      } else {
        out.push(path);
      }
    }
  };
  await visit(root);
  return out;
}
var InPlaceRootfs = class extends DirRootfs {
  #ignored;
  #runtimeDirs = /* @__PURE__ */ new Set();
  #release;
  constructor(ctx, ignorePaths) {
    super(ctx, "/", ignorePaths);
    this.#ignored = this.ignoreList.paths;
    this.extractSkipsIgnored = true;
  }
  async hold() {
    if (this.#release) return;
    let lease = leases.get(this.ctx);
    if (!lease) {
      lease = new RootLease();
      leases.set(this.ctx, lease);
    }
    this.#release = await lease.acquire();
  }
  /** Empties `/` except what is kept, so the base lands on a clean root as kaniko's does. */
  async prepare() {
    await this.hold();
    const entries = await keptEntries("/", this.#ignored, async () => void 0);
    await Promise.all(entries.map((p) => (0, import_promises16.rm)(p, { recursive: true, force: true })));
  }
  async cloneFrom(other) {
    await this.prepare();
    const ignored = this.#ignored;
    await cloneTree(other.dir, "/", {
      merge: true,
      skip: (p) => ignored.some((i) => p === i || p.startsWith(`${i}/`))
    });
    this.snapshotter.init();
    if (other instanceof DirRootfs) {
      for (const p of RUNTIME_PATHS) if (other.imageHas(p)) this.skippedByExtraction.add(p);
    }
    this.isMaterialized = true;
    this.pending = Promise.resolve();
  }
  /**
   * The container's own /proc, /dev, /sys and /etc files are always there; the images must equal
   * those of the sandboxed modes, where runc (and our chroot) create what the image lacks: the
   * kernel filesystems' directories once, and /etc touched by each RUN's hosts/resolv.conf stubs.
   */
  async runtimeEntries(createdDirs) {
    const entries = await super.runtimeEntries(createdDirs);
    const mtime = Math.floor(Date.now() / 1e3);
    for (const path of ["/dev", "/proc", "/sys"]) {
      if (this.imageHas(path) || this.#runtimeDirs.has(path)) continue;
      this.#runtimeDirs.add(path);
      entries.push({ path, type: "dir", mode: 493, uid: 0, gid: 0, mtime });
    }
    if (!this.imageHas("/etc/hosts") || !this.imageHas("/etc/resolv.conf")) {
      const st = this.index.get("/etc") ? await (0, import_promises16.lstat)("/etc") : void 0;
      entries.push({
        path: "/etc",
        type: "dir",
        mode: st ? st.mode & 4095 : 493,
        uid: st?.uid ?? 0,
        gid: st?.gid ?? 0,
        mtime
      });
    }
    return entries;
  }
  /**
   * The stage is done: gives `/` back. With `keepAt`, what later stages need is kept there: a
   * copy of `/` if this stage used it, else a directory its base can be extracted into.
   */
  async finish(keepAt) {
    try {
      if (!keepAt) return void 0;
      if (!this.#release) return new DirRootfs(this.ctx, keepAt);
      await (0, import_promises16.mkdir)(keepAt, { recursive: true });
      const entries = await keptEntries("/", this.#ignored, async (dir) => {
        const st = await (0, import_promises16.lstat)(dir);
        const copy = (0, import_node_path15.join)(keepAt, dir);
        await (0, import_promises16.mkdir)(copy, { recursive: true, mode: st.mode & 4095 });
        await (0, import_promises16.lchown)(copy, st.uid, st.gid);
        await (0, import_promises16.utimes)(copy, st.atime, st.mtime);
      });
      for (const path of entries) await cloneTree(path, (0, import_node_path15.join)(keepAt, path));
      const present = RUNTIME_PATHS.filter((p) => this.imageHas(p) || this.#runtimeDirs.has(p));
      return new ExportedRootfs(this.ctx, keepAt, present);
    } finally {
      this.#release?.();
      this.#release = void 0;
    }
  }
};
var ExportedRootfs = class extends DirRootfs {
  #present;
  constructor(ctx, dir, runtimePresent) {
    super(ctx, dir);
    this.#present = new Set(runtimePresent);
    this.isMaterialized = true;
    this.pending = Promise.resolve();
  }
  imageHas(path) {
    return this.#present.has(path);
  }
};

// src/build/stage.ts
var import_promises17 = __toESM(require_promises(), 1);
var import_node_path17 = __toESM(require_node_path(), 1);

// src/dockerfile/expand.ts
var CommandValueError = class extends Error {
};
function validateChmod(value) {
  if (/^[0-9]+$/.test(value)) {
    if (!/^[0-7]+$/.test(value) || Number.parseInt(value, 8) > 4095)
      throw new CommandValueError(
        `invalid chmod parameter: '${value}'. it should be octal string and between 0 and 07777`
      );
    return;
  }
  const clause = "[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+";
  if (!new RegExp(`^${clause}(?:,${clause})*$`).test(value))
    throw new CommandValueError(`invalid chmod parameter: '${value}'`);
}
function expandCommand(cmd, lookup, opts = {}) {
  const file = opts.file ?? "Dockerfile";
  const lex = { escapeToken: opts.escapeToken ?? "\\" };
  const word = (w) => expandWord(w, lookup, lex);
  try {
    return expandInner(cmd, word, lookup, lex);
  } catch (e) {
    if (e instanceof ExpansionError || e instanceof MountError || e instanceof PortError || e instanceof CommandValueError)
      throw new DockerfileError(file, cmd.line, e.message);
    throw e;
  }
}
function kvs(list, word) {
  return list.map((kv) => ({ key: word(kv.key), value: word(kv.value), noDelim: kv.noDelim }));
}
function expandCopyLike(cmd, word, lookup, lex) {
  const out = {
    ...cmd,
    sources: cmd.sources.map(word),
    dest: word(cmd.dest),
    exclude: cmd.exclude.map(word),
    sourceContents: cmd.sourceContents.map(
      (f) => f.expand ? { ...f, data: expandWord(f.data, lookup, { ...lex, escapeToken: "\\", skipProcessQuotes: true }) } : f
    )
  };
  if (cmd.chown !== void 0) out.chown = word(cmd.chown);
  if (cmd.chmod !== void 0) {
    out.chmod = word(cmd.chmod);
    validateChmod(out.chmod);
  }
  if (out.kind === "ADD" && cmd.kind === "ADD" && cmd.checksum !== void 0)
    out.checksum = word(cmd.checksum);
  return out;
}
function expandInner(cmd, word, lookup, lex) {
  const c = cmd;
  switch (c.kind) {
    case "FROM": {
      const out = { ...c, image: word(c.image) };
      if (c.platform !== void 0) out.platform = word(c.platform);
      return out;
    }
    case "ENV":
      return { ...c, env: kvs(c.env, word) };
    case "LABEL":
      return { ...c, labels: kvs(c.labels, word) };
    case "WORKDIR":
      return { ...c, path: word(c.path) };
    case "USER":
      return { ...c, user: word(c.user) };
    case "STOPSIGNAL":
      return { ...c, signal: word(c.signal) };
    case "VOLUME": {
      const volumes = c.volumes.map(word);
      if (volumes.some((v) => v === ""))
        throw new CommandValueError("VOLUME specified can not be an empty string");
      return { ...c, volumes };
    }
    case "EXPOSE": {
      const ports = c.ports.flatMap((p) => expandWords(p, lookup, lex));
      parsePortSpecs(ports);
      return { ...c, ports };
    }
    case "ARG":
      return {
        ...c,
        args: c.args.map((a) => a.value === void 0 ? { ...a } : { key: a.key, value: word(a.value) })
      };
    case "COPY":
    case "ADD":
      return expandCopyLike(c, word, lookup, lex);
    case "RUN": {
      const mounts = c.mountSpecs.map((spec, i) => {
        const m = parseMount(spec, word);
        const before = c.mounts[i];
        if (before?.from !== void 0) m.from = before.from;
        else delete m.from;
        return m;
      });
      return { ...c, mounts };
    }
    default:
      return { ...c };
  }
}

// src/dockerfile/onbuild.ts
function parseOnBuildTriggers(triggers, file, line) {
  return triggers.map((trigger) => {
    try {
      const df = parseDockerfile(trigger, file);
      if (df.nodes.length !== 1)
        throw new DockerfileError(file, line, "onbuild trigger should be a single expression");
      const node = df.nodes[0];
      const kw = node.instruction.toUpperCase();
      if (kw === "ONBUILD" || kw === "FROM" || kw === "MAINTAINER")
        throw new DockerfileError(file, line, `${kw} isn't allowed as an ONBUILD trigger`);
      const cmd = parseCommand({ ...node, startLine: line, endLine: line }, file);
      return cmd;
    } catch (e) {
      if (e instanceof DockerfileError && e.line !== line)
        throw new DockerfileError(file, line, `ONBUILD trigger ${JSON.stringify(trigger)}: ${e.detail}`);
      throw e;
    }
  });
}

// src/build/stage-cache.ts
var import_node_path16 = __toESM(require_node_path(), 1);
function commandKey(parent, cmd, inputs) {
  const { line: _line, endLine: _end, ...rest } = cmd;
  return stepKey(parent, rest, inputs);
}
var digests = /* @__PURE__ */ new WeakMap();
function imageDigest(ctx, ref) {
  let m = digests.get(ctx);
  if (!m) {
    m = /* @__PURE__ */ new Map();
    digests.set(ctx, m);
  }
  let p = m.get(ref);
  if (!p) {
    p = pullImage(parseReference(ref), {
      platform: ctx.platform,
      options: ctx.registry,
      transport: ctx.transport
    }).then((i) => i.digest());
    m.set(ref, p);
  }
  return p;
}
async function sourceIdentity(ctx, ref) {
  if (!ref) return void 0;
  if (ref.kind === "image") return `image:${await imageDigest(ctx, ref.ref)}`;
  const result = await ctx.stageResults.get(ref.index);
  return result?.cacheKey !== void 0 ? `stage:${result.cacheKey}` : void 0;
}
function contentHash(h, compute) {
  let p = h.hashes.get(h.commandNo);
  if (!p) {
    p = Promise.resolve().then(() => {
      try {
        return compute();
      } catch (e) {
        if (e instanceof SourceMissing) return void 0;
        throw e;
      }
    });
    h.hashes.set(h.commandNo, p);
  }
  return p;
}
var isUrl = (s) => /^https?:\/\//i.test(s);
async function layerStepInputs(hooks, step) {
  const { ctx } = hooks;
  const { cmd, config } = step;
  const workdir = config.WorkingDir || "/";
  if (cmd.kind === "WORKDIR") return { user: config.User ?? "" };
  if (cmd.kind === "RUN") {
    const sources = hooks.stageSources(step.raw);
    let fromIndex = 0;
    const mounts = [];
    for (const m of cmd.mounts) {
      const ref = m.from !== void 0 ? sources[fromIndex++] : void 0;
      if (m.type === "secret") {
        const id = m.id ?? (0, import_node_path16.basename)(m.target);
        mounts.push({ secret: id, present: ctx.secrets.has(id) });
      } else if (m.type === "bind") {
        if (ref) {
          const id = await sourceIdentity(ctx, ref);
          if (id === void 0) return void 0;
          mounts.push({ bind: id });
        } else {
          const hash2 = await contentHash(
            step,
            () => hashSources({ base: ctx.contextDir, paths: [m.source ?? "."] })
          );
          if (hash2 === void 0) return void 0;
          mounts.push({ bind: `context:${hash2}` });
        }
      } else if (m.type === "ssh") {
        mounts.push({ ssh: process.env.SSH_AUTH_SOCK !== void 0 });
      }
    }
    const { runEnv } = await import("./run-step-Q5BCPI7A.js");
    return {
      env: runEnv(config, step.args, ctx.buildArgs),
      user: config.User ?? "",
      workdir,
      shell: shellOf(config),
      mounts,
      platform: ctx.platform
    };
  }
  if (cmd.kind !== "COPY" && cmd.kind !== "ADD") return void 0;
  if (cmd.sources.some(isUrl)) return void 0;
  if (cmd.kind === "COPY" && cmd.from !== void 0) {
    const id = await sourceIdentity(ctx, hooks.stageSources(step.raw)[0]);
    return id === void 0 ? void 0 : { workdir, from: id };
  }
  const ignore = ctx.ignore;
  const memo = await hooks.memo;
  const hash = cmd.sources.length === 0 ? "" : await contentHash(
    step,
    () => hashSources({
      base: ctx.contextDir,
      paths: cmd.sources,
      ...ignore ? { ignored: (rel) => ignore.matches(rel) } : {},
      exclude: cmd.exclude,
      ...ignore ? { ignoreId: ignore.patterns.join("\n") } : {},
      ...memo ? { memo } : {}
    })
  );
  return hash === void 0 ? void 0 : { workdir, context: hash };
}

// src/build/stage.ts
function makeLookup(config, args) {
  const env = envToMap(config.config?.Env);
  const argMap = new Map(args);
  return (name) => env.has(name) ? env.get(name) : argMap.get(name);
}
var StageBuilder = class _StageBuilder {
  ctx;
  input;
  config;
  meta;
  layers = [];
  /** ARGs declared in this stage so far, in order, with their values. */
  args = [];
  created;
  /** The cache key chain so far; undefined without a cache or once a step is not keyable. */
  chain;
  /** Only compute the keys (the pass that starts every lookup before any file is touched). */
  keysOnly;
  /** Content hashes of COPY/ADD sources by command number, shared by both passes. */
  hashes;
  /** Cached layers used so far; the rootfs is these on top of the base when a step misses. */
  hits = [];
  missed = false;
  /** The stage's cacheable steps so far with their layers, for its chain; undefined once one had no key. */
  chainSteps = [];
  commandNo = 0;
  hooks;
  constructor(ctx, input, internal = {}) {
    this.ctx = ctx;
    this.input = input;
    const base = structuredClone(input.baseConfig);
    base.config = base.config ?? {};
    if (!(base.config.Env ?? []).some((e) => e.startsWith("PATH=")))
      base.config.Env = [DEFAULT_PATH_ENV, ...base.config.Env ?? []];
    this.config = base;
    this.meta = { config: base.config, cmdSet: false, ...base.author ? { author: base.author } : {} };
    this.created = ctx.created;
    this.chain = input.cache?.rootKey;
    this.keysOnly = internal.keysOnly ?? false;
    this.hashes = internal.hashes ?? /* @__PURE__ */ new Map();
    this.hooks = input.cache ? {
      ctx,
      stageSources: (raw) => input.stage.sources.get(raw) ?? [],
      memo: input.cache.layers.hashMemo(ctx.contextDir)
    } : void 0;
  }
  get file() {
    return this.input.plan.file;
  }
  where(cmd) {
    return `${this.file}:${cmd.line}`;
  }
  /** Runs the base image's ONBUILD triggers, then the stage's commands. */
  async build() {
    const { stage } = this.input;
    const triggers = this.onbuildTriggers();
    const commands = [...triggers, ...stage.commands];
    const label = stage.name ? `${stage.name} ` : "";
    if (this.input.cache?.layers.readable && !this.keysOnly) await this.startLookups();
    let n = 0;
    for (const cmd of commands) {
      n++;
      this.commandNo = n;
      this.ctx.signal.throwIfAborted();
      if (this.keysOnly) {
        await this.execute(cmd, void 0);
        continue;
      }
      const step = this.ctx.log.step(`[${label}${n}/${commands.length}] ${cmd.original}`);
      try {
        if (await this.execute(cmd, step)) step.cached();
        else step.done();
      } catch (e) {
        step.fail(e instanceof Error ? e.message : String(e));
        throw e;
      }
    }
    if (this.input.cache && this.chainSteps && !this.keysOnly)
      this.input.cache.layers.storeChain(this.chainSteps, this.input.cache.targetStage);
    this.config.config = this.meta.config;
    if (this.meta.author !== void 0) this.config.author = this.meta.author;
    else delete this.config.author;
    return {
      index: stage.index,
      ...stage.name ? { name: stage.name } : {},
      base: this.input.base,
      layers: this.layers,
      config: this.config,
      rootfs: this.input.rootfs,
      files: async () => {
        await this.ensureRootfs();
        return this.input.rootfs.dir;
      },
      ...this.chain !== void 0 ? { cacheKey: this.chain } : {}
    };
  }
  /**
   * Computes every step's key first (no file is touched: RUN keys need none, COPY keys only the
   * sources) and starts their lookups (the stage's chain, then what it lacks); the real pass then
   * awaits them in order.
   */
  async startLookups() {
    const dry = new _StageBuilder(this.ctx, this.input, { keysOnly: true, hashes: this.hashes });
    const layers = this.input.cache.layers;
    const keys = [];
    dry.onKey = (kind, key) => {
      if (layers.cacheable(kind)) keys.push(key);
    };
    try {
      await dry.build();
    } catch {
    }
    layers.prefetch(keys);
  }
  /** Called by the keys-only pass for every layer step with a key. */
  onKey;
  /** Advances the key chain past a command; returns the step's key (undefined: not keyable). */
  async advance(cmd, inputs) {
    if (this.chain === void 0 || !this.hooks) return void 0;
    const got = inputs ? await inputs : null;
    if (got === void 0) {
      this.chain = void 0;
      return void 0;
    }
    this.chain = commandKey(this.chain, cmd, got);
    return this.chain;
  }
  /**
   * The cache's part in a layer step: in the keys-only pass, the key (returns 'skip'); in the
   * real pass a hit appends the cached layer and returns 'hit'; otherwise the step runs and
   * `stored` puts its layer in the cache.
   */
  async fromCache(kind, cmd, inputs, history) {
    const cache = this.input.cache;
    const key = cache ? await this.advance(cmd, inputs()) : void 0;
    if (this.keysOnly) {
      if (key) this.onKey?.(kind, key);
      return "skip";
    }
    if (!cache || !key || !cache.layers.cacheable(kind)) {
      this.missed = true;
      if (cache?.layers.cacheable(kind)) this.chainSteps = void 0;
      return { key: void 0 };
    }
    if (cache.layers.readable) {
      const layer = await cache.layers.lookup(key);
      if (layer) {
        if (this.missed) {
          await this.ensureRootfs();
          await this.input.rootfs.applyLayers([layer], this.ctx.signal);
        } else this.hits.push(layer);
        this.history(history, layer);
        this.chainSteps?.push({
          key,
          layer,
          created: createdOf(layer) ?? (/* @__PURE__ */ new Date()).toISOString(),
          description: history ?? ""
        });
        return "hit";
      }
    }
    this.missed = true;
    return { key };
  }
  stored(key, layer, description) {
    const cache = this.input.cache;
    if (!cache || !key) return;
    cache.layers.store(key, layer, description ?? "", cache.targetStage);
    this.chainSteps?.push({ key, layer, created: (/* @__PURE__ */ new Date()).toISOString(), description: description ?? "" });
  }
  onbuildTriggers() {
    const triggers = this.input.baseConfig.config?.OnBuild ?? [];
    this.meta.config.OnBuild = null;
    return parseOnBuildTriggers(triggers, this.file, this.input.stage.line);
  }
  history(text, layer) {
    const entry = {
      created: this.created,
      created_by: text ?? "",
      comment: "buildkit.dockerfile.v0"
    };
    this.config = appendLayer(this.config, layer, entry);
    this.config.config = this.meta.config;
    if (layer) this.layers.push(layer);
  }
  async ensureRootfs() {
    if (!this.input.rootfs.materialized) {
      await this.input.rootfs.materialize([...this.input.baseLayers, ...this.hits], this.ctx.signal);
    }
  }
  /** Runs one command; true when its layer came from the cache. */
  async execute(raw, step) {
    const lookup = makeLookup({ ...this.config, config: this.meta.config }, this.args);
    const opts = { file: this.file, escapeToken: this.input.plan.escapeToken };
    const cmd = expandCommand(raw, lookup, opts);
    await this.executeExpanded(raw, cmd, lookup, step);
    return this.lastWasHit;
  }
  lastWasHit = false;
  async executeExpanded(raw, cmd, lookup, step) {
    this.lastWasHit = false;
    const cacheInputs = (kind) => () => layerStepInputs(this.hooks, {
      kind,
      cmd,
      raw,
      config: this.meta.config,
      args: this.args,
      lookup,
      hashes: this.hashes,
      commandNo: this.commandNo
    });
    switch (cmd.kind) {
      case "FROM":
        throw new DockerfileError(this.file, cmd.line, "FROM is not allowed here");
      case "ARG": {
        for (const a of cmd.args) {
          const value = stageArgValue(a, this.input.plan, this.ctx.buildArgs, (w) => {
            return w;
          });
          const i = this.args.findIndex(([k]) => k === a.key);
          if (i >= 0) this.args.splice(i, 1);
          this.args.push([a.key, value]);
        }
        this.history(createdBy(cmd), void 0);
        await this.advance(cmd, void 0);
        return;
      }
      case "WORKDIR": {
        const before = this.meta.config.WorkingDir || "/";
        const wd = normalizeWorkdir(before, cmd.path);
        this.meta.config.WorkingDir = wd;
        const text = createdBy(cmd, { workdir: before });
        if (wd === "/") {
          this.history(text, void 0);
          await this.advance(cmd, void 0);
          return;
        }
        const cached = await this.fromCache("WORKDIR", cmd, cacheInputs("WORKDIR"), text);
        if (cached === "skip") return;
        if (cached === "hit") {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const user = await resolveUser(this.input.rootfs.dir, this.meta.config.User);
        const createdPaths = await mkdirp(this.input.rootfs.dir, wd, user.uid, user.gid);
        const layer = fileLayer(await this.input.rootfs.snapshotPaths(createdPaths));
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      case "RUN": {
        const buildArgs = this.args.map(([key, value]) => ({ key, value: lookup(key) ?? value ?? "" }));
        const text = createdBy(cmd, { shell: this.meta.config.Shell ?? [], buildArgs });
        const cached = await this.fromCache("RUN", cmd, cacheInputs("RUN"), text);
        if (cached === "skip") return;
        if (cached === "hit") {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const { runStep } = await import("./run-step-Q5BCPI7A.js");
        const layerFile = await runStep(this.ctx, {
          cmd,
          config: this.meta.config,
          args: this.args,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step
        });
        const layer = fileLayer(layerFile);
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      case "COPY":
      case "ADD": {
        const text = createdBy(cmd, { workdir: this.meta.config.WorkingDir || "/" });
        const cached = await this.fromCache(cmd.kind, cmd, cacheInputs(cmd.kind), text);
        if (cached === "skip") return;
        if (cached === "hit") {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const { copyStep } = await import("./copy-step-Y4IRB4RN.js");
        const layerFile = await copyStep(this.ctx, {
          cmd,
          config: this.meta.config,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step
        });
        const layer = fileLayer(layerFile);
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      default: {
        const shellBefore = this.meta.config.Shell ?? [];
        applyMetadata(this.meta, cmd);
        await this.advance(cmd, void 0);
        if (cmd.kind === "ONBUILD") return;
        this.history(
          createdBy(cmd, { shell: cmd.kind === "SHELL" ? shellBefore : this.meta.config.Shell ?? [] }),
          void 0
        );
      }
    }
  }
};
async function mkdirp(root, imagePath, uid, gid) {
  const resolved = await resolveInRoot(root, imagePath);
  const created = [];
  for (let i = resolved.existing; i < resolved.inside.length; i++) {
    const inside = `/${resolved.inside.slice(0, i + 1).join("/")}`;
    const host = (0, import_node_path17.join)(root, inside);
    await (0, import_promises17.mkdir)(host);
    await (0, import_promises17.chmod)(host, 493);
    await (0, import_promises17.lchown)(host, uid, gid);
    created.push(inside);
  }
  return created;
}

// src/build/executor.ts
async function makeWorkDirs(opts) {
  let base;
  if (opts.kanikoDirGiven || (0, import_node_fs10.existsSync)(opts.kanikoDir) && await (0, import_promises18.access)(opts.kanikoDir, 2).then(
    () => true,
    () => false
  )) {
    await (0, import_promises18.mkdir)(opts.kanikoDir, { recursive: true });
    base = opts.kanikoDir;
  } else {
    base = (0, import_node_os6.tmpdir)();
  }
  const root = await (0, import_promises18.mkdtemp)((0, import_node_path18.join)(base, "kaniko-ts-build-"));
  const dirs = {
    root,
    stages: (0, import_node_path18.join)(root, "stages"),
    layers: (0, import_node_path18.join)(root, "layers"),
    private: (0, import_node_path18.join)(root, "private"),
    cacheMounts: opts.kanikoDirGiven ? (0, import_node_path18.join)(opts.kanikoDir, "cache-mounts") : (0, import_node_path18.join)(root, "cache-mounts")
  };
  await Promise.all([
    (0, import_promises18.mkdir)(dirs.stages),
    (0, import_promises18.mkdir)(dirs.layers),
    (0, import_promises18.mkdir)(dirs.private, { mode: 448 }),
    (0, import_promises18.mkdir)(dirs.cacheMounts, { recursive: true })
  ]);
  return dirs;
}
function sourceDateEpoch(opts) {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env !== void 0 && /^\d+$/.test(env)) return Number(env);
  return opts.reproducible ? 0 : void 0;
}
function finalConfig(config, opts, created, platform) {
  const out = { ...config, created, architecture: platform.architecture, os: platform.os };
  if (platform.variant) out.variant = platform.variant;
  else delete out.variant;
  if (Object.keys(opts.labels).length > 0) {
    out.config = { ...out.config ?? {}, Labels: { ...out.config?.Labels ?? {}, ...opts.labels } };
  }
  return out;
}
async function build(opts, log, signal, hooks = {}) {
  const work = await makeWorkDirs(opts);
  const fromConfig = dockerConfigKeychain();
  const registry = registryOptionsFromFlags(opts.registry, hooks.keychain?.(fromConfig) ?? fromConfig);
  if (log.enabled("debug")) registry.debug = (line) => log.debug(line);
  const transport = transportFor(registry);
  let cache;
  const sessions = new UploadSessions();
  let permission;
  let stagesGone;
  try {
    const context = await resolveContext(opts.context, opts.contextSubPath, {
      workDir: work.root,
      ...opts.git ? { git: opts.git } : {},
      signal,
      log: (l) => log.info(l)
    });
    const dockerfilePath = await resolveDockerfile(opts.dockerfile, context.dir);
    const text = await (0, import_promises18.readFile)(dockerfilePath, "utf8");
    const parsed = parseDockerfile(text, opts.dockerfile);
    const ignore = await loadDockerignore(context.dir, dockerfilePath);
    const build2 = hostPlatform();
    const plan = planBuild(parsed, {
      buildArgs: opts.buildArgs,
      ...opts.target ? { target: opts.target } : {},
      platform: opts.platform,
      buildPlatform: build2
    });
    for (const w of plan.warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);
    const destinations = opts.destinations.map((d) => parseReference(d));
    permission = opts.noPush || opts.skipPushPermissionCheck ? Promise.resolve() : Promise.all(destinations.map((d) => checkPushPermission(d, registry, transport, sessions))).then(
      () => void 0
    );
    permission.catch(() => void 0);
    const present = opts.noPush ? void 0 : new PresentBlobs(transport);
    for (const d of destinations) present?.prefetch(d);
    cache = await loadLayerCache(opts, destinations, registry, transport, log);
    if (cache) registry.concurrency ??= 8;
    const bases = /* @__PURE__ */ new Map();
    if (cache) {
      for (const s of plan.stages) {
        if (s.base.kind !== "image") continue;
        const platform = s.platform ? parsePlatform(s.platform) : opts.platform;
        const key = baseKey(s.base.ref, platform);
        if (bases.has(key)) continue;
        const p = loadBase(opts, log, s.base.ref, platform, registry, transport).then(async (image2) => {
          await image2.rawConfig();
          return image2;
        });
        p.catch(() => void 0);
        bases.set(key, p);
      }
    }
    const selectOptions = {
      ...opts.sandbox !== "auto" ? { forced: opts.sandbox } : {},
      rootfs: work.stages,
      warn: (m) => log.warn(m)
    };
    const inPlace = choosesInPlace(selectOptions);
    const choose = async () => {
      const chosen = await selectSandbox(selectOptions);
      log.info(`sandbox: ${chosen.name} (${chosen.reason})`);
      return chosen;
    };
    const sandbox = cache?.readable && opts.sandbox === "auto" && !inPlace ? new DeferredSandbox(choose) : await choose();
    const epoch = sourceDateEpoch(opts);
    const created = new Date(epoch !== void 0 ? epoch * 1e3 : Date.now()).toISOString().replace(/\.000Z$/, "Z");
    const secrets = new Map(opts.secrets.map((s) => [s.id, s]));
    for (const s of opts.secrets) if (s.env && process.env[s.env]) log.mask(process.env[s.env]);
    const pulled = /* @__PURE__ */ new Map();
    const baseTrees = inPlace ? void 0 : new BaseTrees(work.stages);
    for (const s of plan.stages) {
      if (s.base.kind === "image")
        baseTrees?.expect(baseKey(s.base.ref, s.platform ? parsePlatform(s.platform) : opts.platform));
    }
    const ctx = {
      opts,
      log,
      signal,
      sandbox,
      inPlace,
      platform: opts.platform,
      registry,
      transport,
      buildArgs: opts.buildArgs,
      contextDir: context.dir,
      ignore: ignore.path ? ignore.matcher : void 0,
      secrets,
      work,
      created,
      ...epoch !== void 0 ? { sourceDateEpoch: epoch } : {},
      stageResults: /* @__PURE__ */ new Map(),
      ...baseTrees ? { baseTrees } : {},
      pullImage(ref) {
        let p = pulled.get(ref);
        if (!p) {
          p = (async () => {
            const image2 = await pullImage(parseReference(ref), {
              platform: opts.platform,
              options: registry,
              transport
            });
            const rootfs = createStageRootfs(ctx, (0, import_node_path18.join)(work.stages, `image-${pulled.size}`));
            await rootfs.materialize(await image2.layers(), signal);
            return { image: image2, rootfs: rootfs.dir };
          })();
          pulled.set(ref, p);
        }
        return p;
      }
    };
    for (const stage of plan.stages) {
      const result = buildStage(ctx, plan, stage, cache, bases);
      result.catch(() => void 0);
      ctx.stageResults.set(stage.index, result);
    }
    const final = await ctx.stageResults.get(plan.target);
    await Promise.all([...ctx.stageResults.values()]);
    await permission;
    signal.throwIfAborted();
    stagesGone = (0, import_promises18.rm)(work.stages, { recursive: true, force: true }).catch(() => void 0);
    const config = finalConfig(final.config, opts, created, opts.platform);
    const image = await mutate(final.base, { layers: final.layers, config, format: "docker" });
    const out = await writeOutputs(image, destinations, opts, registry, log, {
      sessions,
      ...present ? { present } : {}
    });
    log.info(`image digest ${out.digest}`);
    if (cache) {
      await cache.flush();
      const c = cache.counts;
      log.debug(
        `cache: ${c.hits} hit(s), ${c.misses} miss(es), ${c.stored} stored, ${c.storeFailed} failed; stage chains: ${c.chainsFound} found, ${c.chainsStored} stored`
      );
    }
    return { digest: out.digest, pushed: out.pushed, destinations: destinations.map((d) => d.toString()) };
  } finally {
    if (cache && !signal.aborted) await cache.flush().catch(() => void 0);
    await permission?.catch(() => void 0);
    await sessions.cancelAll(transport);
    await closeTransport(registry).catch(() => void 0);
    await stagesGone;
    await (0, import_promises18.rm)(work.root, { recursive: true, force: true }).catch(() => void 0);
  }
}
function baseKey(ref, platform) {
  return `${ref} ${JSON.stringify(platform)}`;
}
async function loadLayerCache(opts, destinations, registry, transport, log) {
  const c = opts.cache;
  if (!c.enabled && c.from.length === 0 && c.to.length === 0) return void 0;
  const { createLayerCache } = await import("./cache-TKH37IZ7.js");
  return createLayerCache(c, {
    destinations,
    registry,
    transport,
    platform: opts.platform,
    warn: (m) => log.warn(m),
    ...log.enabled("debug") ? { debug: (m) => log.debug(m) } : {}
  });
}
async function loadBase(opts, log, ref, platform, registry, transport) {
  const dir = opts.cache.dir;
  if ((0, import_node_fs10.existsSync)((0, import_node_path18.join)(dir, "images"))) {
    const { findWarmed } = await import("./warmer-VKJNMUG2.js");
    const image = await findWarmed(dir, ref, platform, opts.cache.ttlMs).catch((e) => {
      log.warn(`cache dir ${dir}: warmed ${ref} is unreadable (${e.message}); pulling it`);
      return void 0;
    });
    if (image) {
      log.info(`using ${ref} from ${dir} (warmer)`);
      return image;
    }
  }
  return pullImage(parseReference(ref), { platform, options: registry, transport });
}
async function stageRootKey(ctx, base, platform) {
  const { stageRootKey: rootKey } = await import("./key-THPENT6M.js");
  let identity;
  if (base === "scratch") identity = "scratch";
  else if ("image" in base) identity = { image: await base.image.digest() };
  else if (base.stage.cacheKey !== void 0) identity = { stage: base.stage.cacheKey };
  else return void 0;
  const o = ctx.opts;
  return rootKey(identity, platform, {
    compression: o.compression,
    ...o.compressionLevel !== void 0 ? { compressionLevel: o.compressionLevel } : {},
    ...ctx.sourceDateEpoch !== void 0 ? { sourceDateEpoch: ctx.sourceDateEpoch } : {},
    reproducible: o.reproducible,
    ignorePaths: o.ignorePaths,
    ...o.ignoreVarRun !== void 0 ? { ignoreVarRun: o.ignoreVarRun } : {}
  });
}
async function buildStage(ctx, plan, stage, cache, bases) {
  if (ctx.inPlace) for (const dep of stage.dependsOn) await ctx.stageResults.get(dep);
  const platform = stage.platform ? parsePlatform(stage.platform) : ctx.platform;
  const keepAt = (0, import_node_path18.join)(ctx.work.stages, String(stage.index));
  const inPlace = ctx.inPlace ? new InPlaceRootfs(ctx, await inPlaceIgnorePaths(ctx)) : void 0;
  const rootfs = inPlace ?? createStageRootfs(
    ctx,
    keepAt,
    stage.base.kind === "image" ? baseKey(stage.base.ref, platform) : void 0
  );
  let base;
  let baseConfig;
  let baseLayers = [];
  let rootKey = Promise.resolve(void 0);
  if (stage.base.kind === "scratch") {
    if (cache) rootKey = stageRootKey(ctx, "scratch", platform);
    base = "scratch";
    baseConfig = scratchConfig(platform);
    baseConfig.config = { WorkingDir: "/" };
  } else if (stage.base.kind === "stage") {
    const parent = await ctx.stageResults.get(stage.base.index);
    base = await mutate(parent.base, { layers: parent.layers, config: parent.config, format: "docker" });
    baseConfig = parent.config;
    if (cache) rootKey = stageRootKey(ctx, { stage: parent }, platform);
    if (parent.rootfs.materialized && !cache) await rootfs.cloneFrom(parent.rootfs);
    else baseLayers = await base.layers();
  } else {
    const step = ctx.log.step(`[internal] load metadata for ${stage.base.ref}`);
    const image = await (bases?.get(baseKey(stage.base.ref, platform)) ?? loadBase(ctx.opts, ctx.log, stage.base.ref, platform, ctx.registry, ctx.transport));
    base = image;
    if (cache) rootKey = stageRootKey(ctx, { image }, platform);
    [baseConfig, baseLayers] = await Promise.all([image.config(), image.layers()]);
    step.done();
  }
  const key = await rootKey;
  const stageCache = cache && key !== void 0 ? { layers: cache, rootKey: key, targetStage: stage.index === plan.target } : void 0;
  if (!inPlace) {
    try {
      return await new StageBuilder(ctx, {
        plan,
        stage,
        base,
        baseConfig,
        baseLayers,
        rootfs,
        ...stageCache ? { cache: stageCache } : {}
      }).build();
    } finally {
      await ctx.sandbox.release?.(rootfs.dir);
    }
  }
  const neededLater = plan.stages.some((s) => s.index > stage.index && s.dependsOn.includes(stage.index));
  let result;
  try {
    result = await new StageBuilder(ctx, {
      plan,
      stage,
      base,
      baseConfig,
      baseLayers,
      rootfs,
      ...stageCache ? { cache: stageCache } : {}
    }).build();
  } finally {
    const kept = await inPlace.finish(result && neededLater ? keepAt : void 0);
    if (result && kept) {
      const layers = baseLayers;
      result = {
        ...result,
        rootfs: kept,
        files: async () => {
          await kept.materialize(layers, ctx.signal);
          return kept.dir;
        }
      };
    }
  }
  return result;
}
export {
  build
};
