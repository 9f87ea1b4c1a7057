const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
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
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/sandbox/userns.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var UNSHARE = "/usr/bin/unshare";
var USERNS_ENV = "KANIKO_TS_IN_USERNS";
function parseMap(text) {
  return text.split("\n").map((l) => l.trim().split(/\s+/).map(Number)).filter((f) => f.length === 3 && f.every((n) => Number.isFinite(n))).map(([inside, outside, count]) => ({ inside, outside, count }));
}
async function uidMap() {
  return parseMap(await (0, import_promises.readFile)("/proc/self/uid_map", "utf8"));
}
async function inUserNamespace() {
  const map = await uidMap();
  return !(map.length === 1 && map[0].inside === 0 && map[0].outside === 0 && map[0].count === 4294967295);
}
async function subordinateRange(file, name, id) {
  const text = await (0, import_promises.readFile)(file, "utf8").catch(() => "");
  for (const line of text.split("\n")) {
    const [owner, start, count] = line.trim().split(":");
    if (owner !== name && owner !== String(id)) continue;
    const s = Number(start);
    const c = Number(count);
    if (Number.isInteger(s) && Number.isInteger(c) && c > 0) return { start: s, count: c };
  }
  return void 0;
}
async function planUserNamespace() {
  const me = (0, import_node_os.userInfo)();
  const uids = await subordinateRange("/etc/subuid", me.username, me.uid);
  const gids = await subordinateRange("/etc/subgid", me.username, me.uid);
  const tools = (0, import_node_fs.existsSync)("/usr/bin/newuidmap") && (0, import_node_fs.existsSync)("/usr/bin/newgidmap");
  if (uids && gids && tools) {
    return {
      mapping: "subordinate",
      args: [
        "--user",
        "--map-root-user",
        `--map-users=${uids.start},1,${uids.count}`,
        `--map-groups=${gids.start},1,${gids.count}`
      ]
    };
  }
  const missing = !tools ? "newuidmap/newgidmap are missing (Debian package uidmap)" : `${me.username} has no range in ${uids ? "/etc/subgid" : "/etc/subuid"}`;
  return {
    mapping: "single",
    args: ["--user", "--map-root-user"],
    warning: `${missing}: only uid ${me.uid} is mapped (to root); chown to other users in RUN fails and every file belongs to root`
  };
}
function canCreateUserNamespace() {
  return new Promise((resolve) => {
    const child = (0, import_node_child_process.spawn)(UNSHARE, ["--user", "--map-root-user", "/bin/true"], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}
async function enterUserNamespace(argv, opts = {}) {
  if (process.getuid?.() === 0 || process.env[USERNS_ENV] === "1") return void 0;
  if (!await canCreateUserNamespace()) {
    throw new SandboxError(
      "unprivileged user namespaces are not allowed here (see sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone); run as root, or use --sandbox=proot",
      "userns"
    );
  }
  const plan = await planUserNamespace();
  if (plan.warning) opts.warn?.(plan.warning);
  const child = (0, import_node_child_process.spawn)(UNSHARE, [...plan.args, "--", ...argv], {
    stdio: "inherit",
    env: { ...process.env, [USERNS_ENV]: "1" }
  });
  const forward = (sig) => {
    child.kill(sig);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  try {
    return await new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, sig) => resolve(code ?? 128 + (sig === "SIGINT" ? 2 : 15)));
    });
  } finally {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  }
}

export {
  USERNS_ENV,
  uidMap,
  inUserNamespace,
  subordinateRange,
  planUserNamespace,
  canCreateUserNamespace,
  enterUserNamespace
};
