const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  EXECUTOR_IMAGE_MARKER,
  choosesInPlace
} from "./chunk-K35RWFTI.js";
import {
  insidePath,
  resolveInRoot
} from "./chunk-PET4BCTD.js";
import {
  canCreateUserNamespace,
  inUserNamespace,
  uidMap
} from "./chunk-AB5CQHS6.js";
import {
  SandboxError
} from "./chunk-SYGD3FLI.js";
import {
  require_node_child_process
} from "./chunk-Y3A2L6LS.js";
import {
  require_node_os
} from "./chunk-5UUJECFZ.js";
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

// src/sandbox/select.ts
var import_node_child_process4 = __toESM(require_node_child_process(), 1);
var import_node_fs4 = __toESM(require_node_fs(), 1);

// src/sandbox/chroot.ts
var import_promises4 = __toESM(require_promises(), 1);
var import_node_path4 = __toESM(require_node_path(), 1);

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
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
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
    const parent = (0, import_node_path.join)(this.root, ...r.inside.slice(0, r.existing));
    const before = await (0, import_promises.stat)(parent);
    for (let i = r.existing; i < r.inside.length; i++) {
      const host = (0, import_node_path.join)(this.root, ...r.inside.slice(0, i + 1));
      const last = i === r.inside.length - 1;
      if (last && kind === "file") {
        await (0, import_promises.writeFile)(host, "", { flag: "wx", mode: 420 });
        this.created.push({ host, kind: "file" });
      } else {
        await (0, import_promises.mkdir)(host, { mode: 493 });
        this.created.push({ host, kind: "dir" });
      }
    }
    const after = await (0, import_promises.stat)(parent);
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
      const now = await (0, import_promises.stat)(t.host).catch(() => void 0);
      if (now && now.mtimeMs === t.ourMtimeMs) untouched.add(t.host);
    }
    for (const c of this.created.reverse()) {
      try {
        if (c.kind === "dir") await (0, import_promises.rmdir)(c.host);
        else {
          const st = await (0, import_promises.lstat)(c.host);
          if (!st.isFile() || st.size !== 0) {
            left.push({ path: c.host.slice(this.root.length), reason: "changed by the RUN" });
            continue;
          }
          await (0, import_promises.unlink)(c.host);
        }
      } catch (e) {
        const code = e.code;
        if (code === "ENOENT") continue;
        left.push({ path: c.host.slice(this.root.length) || "/", reason: code ?? String(e) });
      }
    }
    this.created.length = 0;
    for (const t of this.touched) {
      if (untouched.has(t.host)) await (0, import_promises.utimes)(t.host, t.atime, t.mtime).catch(() => void 0);
    }
    this.touched.length = 0;
    return left;
  }
};

// src/sandbox/process.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_promises2 = __toESM(require_promises(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var DEFAULT_GRACE_MS = 2e3;
async function processes() {
  const out = [];
  for (const name of await (0, import_promises2.readdir)("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat4 = await (0, import_promises2.readFile)(`/proc/${name}/stat`, "utf8").catch(() => "");
    const open = stat4.indexOf("(");
    const close = stat4.lastIndexOf(")");
    if (open < 0 || close < 0) continue;
    const fields = stat4.slice(close + 2).split(" ");
    out.push({ pid: Number(name), ppid: Number(fields[1]), comm: stat4.slice(open + 1, close) });
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
  for (const [name, num] of Object.entries(import_node_os.constants.signals)) if (num === n) return name;
  return void 0;
}
function runProcess(cmd, args, spec, opts = {}) {
  return new Promise((resolve, reject) => {
    if (spec.signal?.aborted) {
      resolve({ exitCode: 128 + import_node_os.constants.signals.SIGKILL, signal: "SIGKILL" });
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
        const n = import_node_os.constants.signals[sig] ?? 0;
        resolve({ exitCode: 128 + n, signal: sig });
        return;
      }
      const exitCode = code ?? 1;
      if (aborted && exitCode > 128) {
        const name = signalName(exitCode - 128);
        resolve(name ? { exitCode, signal: name } : { exitCode });
        return;
      }
      resolve({ exitCode });
    });
  });
}

// src/sandbox/secret-files.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises3 = __toESM(require_promises(), 1);
var import_node_os2 = __toESM(require_node_os(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);
var SecretFiles = class {
  dir;
  count = 0;
  /** A host file holding the secret with the owner and mode it must have inside the sandbox. */
  async prepare(m) {
    if (!this.dir) {
      const base = (0, import_node_fs.existsSync)("/dev/shm") ? "/dev/shm" : (0, import_node_os2.tmpdir)();
      this.dir = await (0, import_promises3.mkdtemp)((0, import_node_path2.join)(base, "kaniko-ts-secrets-"));
    }
    const file = (0, import_node_path2.join)(this.dir, String(this.count++));
    await (0, import_promises3.copyFile)(m.source, file);
    await (0, import_promises3.chown)(file, m.uid ?? 0, m.gid ?? 0);
    await (0, import_promises3.chmod)(file, m.mode ?? 256);
    return file;
  }
  async cleanup() {
    if (this.dir) await (0, import_promises3.rm)(this.dir, { recursive: true, force: true });
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
var import_node_path3 = __toESM(require_node_path(), 1);

// src/sandbox/runner-program.ts
var import_node_child_process2 = __toESM(require_node_child_process(), 1);
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_os3 = __toESM(require_node_os(), 1);
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
  return new Promise((resolve) => {
    const child = (0, import_node_child_process2.spawn)(req.argv[0], req.argv.slice(1), {
      cwd: req.cwd,
      env: req.env,
      uid: req.uid,
      gid: req.gid,
      stdio: ["ignore", "inherit", "inherit"]
    });
    child.on("error", (e) => {
      resolve({
        id: req.id,
        exitCode: e.code === "ENOENT" ? 127 : 126,
        error: `${req.argv[0]}: ${e.code ?? e.message}`
      });
    });
    child.on("exit", (code, signal) => {
      if (signal) resolve({ id: req.id, exitCode: 128 + (import_node_os3.constants.signals[signal] ?? 0), signal });
      else resolve({ id: req.id, exitCode: code ?? 1 });
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
    this.#closed = new Promise((resolve) => {
      child.on("close", (code, signal) => {
        this.#dead = `the sandbox runner exited (${signal ?? code})`;
        const p = this.#pending;
        this.#pending = void 0;
        p?.resolve({ exitCode: 128 + 9, signal: "SIGKILL" });
        resolve();
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
    const dirs = [...new Set([loader, ...libs].map((p) => (0, import_node_path3.dirname)(p)))];
    const inside = (dir) => `${KTS}/lib${dirs.indexOf(dir)}`;
    const args = [...bindArgs, "--dir", KTS];
    for (const dir of dirs) args.push("--ro-bind", dir, inside(dir));
    args.push("--ro-bind", process.execPath, `${KTS}/node`);
    const source = runnerProgram()?.script;
    const script = source ? `${KTS}/runner${(0, import_node_path3.extname)(source)}` : void 0;
    if (source && script) args.push("--ro-bind", source, script);
    args.push("--unshare-pid", "--die-with-parent", "--cap-drop", "ALL");
    for (const c of DEFAULT_CAPABILITIES) args.push("--cap-add", c);
    args.push("--clearenv", "--setenv", "KANIKO_TS_SANDBOX_RUNNER", "1", "--chdir", "/", "--");
    const loaderInside = `${inside((0, import_node_path3.dirname)(loader))}/${(0, import_node_path3.basename)(loader)}`;
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
    return new Promise((resolve) => {
      this.#pending = { id: req.id, spec, ends: 0, resolve };
      const onAbort = () => this.kill();
      spec.signal?.addEventListener("abort", onAbort, { once: true });
      const done = (r) => {
        spec.signal?.removeEventListener("abort", onAbort);
        resolve(r);
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
  if (!(0, import_node_path4.isAbsolute)(p)) throw new SandboxError(`${BWRAP_ENV}=${p}: not an absolute path`);
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
      const comm = (0, import_node_path4.basename)(this.bwrap).slice(0, 15);
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
    const at = (inside) => asUser ? (0, import_node_path4.join)(spec.rootfs, inside) : inside;
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
          const kind = (await (0, import_promises4.stat)(m.source)).isDirectory() ? "dir" : "file";
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
var import_promises5 = __toESM(require_promises(), 1);
var import_node_path5 = __toESM(require_node_path(), 1);
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
        cwd: (0, import_node_path5.join)(spec.rootfs, spec.cwd),
        uid: spec.user.uid,
        gid: spec.user.gid
      }).catch((e) => {
        if (e.code === "ENOENT") return { exitCode: 127 };
        if (e.code === "EACCES") return { exitCode: 126 };
        throw e;
      });
    } finally {
      for (const p of placed.reverse()) {
        await (0, import_promises5.rm)(p.host, { recursive: true, force: true });
        if (p.aside) await (0, import_promises5.rename)(p.aside, p.host);
      }
      await points.cleanup();
    }
  }
  async place(root, m, points, placed) {
    const resolved = await resolveInRoot(root, m.target);
    const inside = insidePath(resolved);
    const host = (0, import_node_path5.join)(root, inside);
    await points.ensure((0, import_node_path5.dirname)(inside), "dir");
    let aside;
    if (await (0, import_promises5.lstat)(host).catch(() => void 0)) {
      aside = `${host}.kaniko-ts-aside`;
      await (0, import_promises5.rename)(host, aside);
    }
    placed.push(aside ? { host, aside } : { host });
    switch (m.type) {
      case "bind":
        if (!m.readonly) this.warnOnce("rw", "in-place mode: read-write bind mounts write to their source");
        await (0, import_promises5.symlink)(m.source, host);
        break;
      case "cache":
        await (0, import_promises5.symlink)(m.source, host);
        break;
      case "ssh":
        await (0, import_promises5.symlink)(m.socket, host);
        break;
      case "tmpfs":
        await (0, import_promises5.mkdir)(host, { mode: 1023 });
        await (0, import_promises5.chmod)(host, 1023);
        break;
      case "secret":
        await (0, import_promises5.copyFile)(m.source, host);
        await (0, import_promises5.chown)(host, m.uid ?? 0, m.gid ?? 0);
        await (0, import_promises5.chmod)(host, m.mode ?? 256);
        break;
    }
  }
};

// src/sandbox/proot.ts
var import_promises6 = __toESM(require_promises(), 1);
var import_node_os4 = __toESM(require_node_os(), 1);
var import_node_path6 = __toESM(require_node_path(), 1);
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
    const scratch = await (0, import_promises6.mkdtemp)((0, import_node_path6.join)((0, import_node_os4.tmpdir)(), "kaniko-ts-proot-"));
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
            const dir = await (0, import_promises6.mkdtemp)((0, import_node_path6.join)(scratch, "tmpfs-"));
            await bind(dir, m.target, "dir");
            break;
          }
          case "secret": {
            const file = (0, import_node_path6.join)(scratch, `secret-${n++}`);
            await (0, import_promises6.copyFile)(m.source, file);
            await (0, import_promises6.chmod)(file, m.mode ?? 256);
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
      await (0, import_promises6.rm)(scratch, { recursive: true, force: true });
      await points.cleanup();
    }
  }
};
async function isFile(p) {
  return (await (0, import_promises6.stat)(p)).isFile();
}

// src/sandbox/select.ts
function succeeds(cmd, args) {
  return new Promise((resolve) => {
    const child = (0, import_node_child_process4.spawn)(cmd, args, { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
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
export {
  EXECUTOR_IMAGE_MARKER,
  canUseMountNamespaces,
  choosesInPlace,
  selectSandbox
};
