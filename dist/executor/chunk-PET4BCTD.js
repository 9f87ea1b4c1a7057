const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  SandboxError
} from "./chunk-SYGD3FLI.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/sandbox/rootfs-path.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var MAX_LINKS = 255;
function insidePath(r) {
  return `/${r.inside.join("/")}`;
}
async function resolveInRoot(root, path) {
  if (!path.startsWith("/")) throw new SandboxError(`mount target "${path}" is not absolute`);
  const done = [];
  let todo = path.split("/").filter((c) => c !== "" && c !== ".");
  let links = 0;
  while (todo.length > 0) {
    const comp = todo.shift();
    if (comp === "..") {
      done.pop();
      continue;
    }
    const host = (0, import_node_path.join)(root, ...done, comp);
    let st;
    try {
      st = await (0, import_promises.lstat)(host);
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      const rest = import_node_path.posix.normalize([comp, ...todo].join("/")).split("/");
      const existing = done.length;
      for (const c of rest) {
        if (c === "..") done.pop();
        else if (c !== "." && c !== "") done.push(c);
      }
      return { inside: done, existing: Math.min(existing, done.length) };
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new SandboxError(`too many symlinks resolving "${path}" in the rootfs`);
      const target = await (0, import_promises.readlink)(host);
      if (target.startsWith("/")) done.length = 0;
      todo = [...target.split("/").filter((c) => c !== "" && c !== "."), ...todo];
      continue;
    }
    done.push(comp);
  }
  return { inside: done, existing: done.length };
}

export {
  insidePath,
  resolveInRoot
};
