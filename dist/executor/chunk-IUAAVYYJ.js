const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
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
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/fs/clone-tree.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
async function cloneTree(src, dest, opts = {}) {
  const inodes = /* @__PURE__ */ new Map();
  const asRoot = process.getuid?.() === 0;
  const dirs = [];
  const copy = async (from, to, rel) => {
    const st = await (0, import_promises.lstat)(from);
    if (st.isDirectory()) {
      await (0, import_promises.mkdir)(to).catch((e) => {
        if (!(opts.merge && e.code === "EEXIST")) throw e;
      });
      for (const name of (await (0, import_promises.readdir)(from)).sort()) {
        const childRel = `${rel}/${name}`;
        if (!opts.skip?.(childRel)) await copy((0, import_node_path.join)(from, name), (0, import_node_path.join)(to, name), childRel);
      }
      dirs.push({ path: to, atime: st.atime, mtime: st.mtime });
    } else if (st.isSymbolicLink()) {
      await (0, import_promises.symlink)(await (0, import_promises.readlink)(from), to);
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? inodes.get(key) : void 0;
      if (first !== void 0) {
        await (0, import_promises.link)(first, to);
        return;
      }
      if (st.nlink > 1) inodes.set(key, to);
      await (0, import_promises.copyFile)(from, to, import_node_fs.constants.COPYFILE_FICLONE);
    } else {
      return;
    }
    if (asRoot) await (0, import_promises.lchown)(to, st.uid, st.gid);
    if (!st.isSymbolicLink()) await (0, import_promises.chmod)(to, st.mode & 4095);
    if (!st.isDirectory()) await (0, import_promises.lutimes)(to, st.atime, st.mtime);
  };
  await copy(src, dest, "");
  for (const d of dirs.reverse()) await (0, import_promises.lutimes)(d.path, d.atime, d.mtime);
}
async function copyTree(src, dest) {
  const copied = await new Promise((resolve, reject) => {
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn("cp", ["-a", "--reflink=auto", src, dest], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (b) => {
      err += b.toString();
    });
    child.on("error", (e) => e.code === "ENOENT" ? resolve(false) : reject(e));
    child.on(
      "close",
      (code) => code === 0 ? resolve(true) : reject(new Error(`cp failed: ${err.trim().split("\n")[0]}`))
    );
  });
  if (!copied) await cloneTree(src, dest);
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

export {
  cloneTree,
  copyTree,
  ByteProgress,
  progressStream
};
