const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  DirRootfs
} from "./chunk-YYTKSU4B.js";
import {
  cloneTree
} from "./chunk-IUAAVYYJ.js";
import "./chunk-L6C7SMFX.js";
import "./chunk-2PKG5B6T.js";
import "./chunk-QTTXRMTW.js";
import "./chunk-Y3A2L6LS.js";
import "./chunk-QRELBB2W.js";
import "./chunk-XBC7G4DO.js";
import "./chunk-77QJEF4W.js";
import "./chunk-LIYV7COB.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/build/rootfs-in-place.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
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
  const text = await (0, import_promises.readFile)("/proc/self/mountinfo", "utf8").catch(() => "");
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
    for (const name of (await (0, import_promises.readdir)(dir)).sort()) {
      const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
      if (ignored.some((p) => p === path || path.startsWith(`${p}/`))) continue;
      if (ignored.some((p) => p.startsWith(`${path}/`)) && (await (0, import_promises.lstat)(path)).isDirectory()) {
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
    await Promise.all(entries.map((p) => (0, import_promises.rm)(p, { recursive: true, force: true })));
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
      const st = this.index.get("/etc") ? await (0, import_promises.lstat)("/etc") : void 0;
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
      await (0, import_promises.mkdir)(keepAt, { recursive: true });
      const entries = await keptEntries("/", this.#ignored, async (dir) => {
        const st = await (0, import_promises.lstat)(dir);
        const copy = (0, import_node_path.join)(keepAt, dir);
        await (0, import_promises.mkdir)(copy, { recursive: true, mode: st.mode & 4095 });
        await (0, import_promises.lchown)(copy, st.uid, st.gid);
        await (0, import_promises.utimes)(copy, st.atime, st.mtime);
      });
      for (const path of entries) await cloneTree(path, (0, import_node_path.join)(keepAt, path));
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
export {
  InPlaceRootfs,
  inPlaceIgnorePaths,
  mountPoints
};
