const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  sourceDir
} from "./chunk-XEUDKKCY.js";
import {
  resolveUser,
  runArgv,
  runEnv,
  shellOf
} from "./chunk-2QEPDD3D.js";
import {
  insidePath,
  resolveInRoot
} from "./chunk-PET4BCTD.js";
import {
  DockerfileError
} from "./chunk-EOFCRA5Y.js";
import "./chunk-SYGD3FLI.js";
import {
  RunFailedError
} from "./chunk-NLAINIXL.js";
import {
  require_node_stream
} from "./chunk-77QJEF4W.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/build/run-step.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var import_node_stream = __toESM(require_node_stream(), 1);
function lineWriter(step) {
  let pending = "";
  return new import_node_stream.Writable({
    write(chunk, _enc, cb) {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) step.log(l);
      cb();
    },
    final(cb) {
      if (pending) step.log(pending);
      cb();
    }
  });
}
async function runStep(ctx, input) {
  const { cmd, config, rootfs } = input;
  if (cmd.security === "insecure" && !ctx.opts.allowInsecureEntitlement)
    throw new DockerfileError(
      input.where.replace(/:\d+$/, ""),
      cmd.line,
      "RUN --security=insecure needs --allow-insecure-entitlement"
    );
  const { argv, scriptFile } = runArgv(cmd, shellOf(config));
  const env = runEnv(config, input.args, ctx.buildArgs);
  const user = await resolveUser(rootfs.dir, config.User).catch((e) => {
    throw new DockerfileError(input.where.replace(/:\d+$/, ""), cmd.line, e.message);
  });
  const cwd = config.WorkingDir || "/";
  const private_ = await (0, import_promises.mkdtemp)((0, import_node_path.join)(ctx.work.private, "run-"));
  const mounts = [];
  const cleanups = [private_];
  try {
    const wd = await resolveInRoot(rootfs.dir, cwd);
    if (wd.existing < wd.inside.length) {
      await (0, import_promises.mkdir)((0, import_node_path.join)(rootfs.dir, insidePath(wd)), { recursive: true, mode: 493 });
    }
    if (scriptFile) {
      const host = (0, import_node_path.join)(private_, `script-${(0, import_node_path.basename)(scriptFile.name)}`);
      await (0, import_promises.writeFile)(host, scriptFile.data, { mode: 493 });
      mounts.push({ type: "bind", source: host, target: `/dev/pipes/${scriptFile.name}`, readonly: true });
    }
    let fromIndex = 0;
    for (const m of cmd.mounts) {
      const ref = m.from !== void 0 ? input.sources[fromIndex++] : void 0;
      switch (m.type) {
        case "bind": {
          const base = await sourceDir(ctx, ref);
          const src = await resolveInRoot(base, `/${m.source ?? ""}`);
          let host = (0, import_node_path.join)(base, insidePath(src));
          if (!m.readOnly) {
            const copy = (0, import_node_path.join)(private_, `bind-${mounts.length}`);
            await (0, import_promises.cp)(host, copy, { recursive: true, verbatimSymlinks: true });
            host = copy;
          }
          mounts.push({ type: "bind", source: host, target: m.target, readonly: m.readOnly });
          break;
        }
        case "cache": {
          const id = (m.id ?? m.target).replace(/[^A-Za-z0-9_.-]/g, "_");
          const dir = (0, import_node_path.join)(ctx.work.cacheMounts, id);
          await (0, import_promises.mkdir)(dir, { recursive: true });
          await (0, import_promises.chmod)(dir, m.mode ?? 493);
          await (0, import_promises.chown)(dir, m.uid ?? 0, m.gid ?? 0);
          mounts.push({ type: "cache", source: dir, target: m.target });
          break;
        }
        case "tmpfs":
          mounts.push({ type: "tmpfs", target: m.target });
          break;
        case "secret": {
          const id = m.id ?? (0, import_node_path.basename)(m.target);
          const secret = ctx.secrets.get(id);
          if (!secret) {
            if (m.required)
              throw new DockerfileError(input.where.replace(/:\d+$/, ""), cmd.line, `secret ${id} not found`);
            break;
          }
          const value = secret.file ? void 0 : process.env[secret.env ?? id] ?? "";
          let file = secret.file;
          if (!file) {
            file = (0, import_node_path.join)(private_, `secret-${mounts.length}`);
            await (0, import_promises.writeFile)(file, value ?? "", { mode: 256 });
          }
          if (m.env) {
            const { readFile } = await import("node:fs/promises");
            env.push(`${m.env}=${(await readFile(file, "utf8")).trimEnd()}`);
          }
          if (m.target || !m.env) {
            mounts.push({
              type: "secret",
              source: file,
              target: m.target || `/run/secrets/${id}`,
              mode: m.mode ?? 256,
              uid: m.uid ?? 0,
              gid: m.gid ?? 0
            });
          }
          break;
        }
        case "ssh": {
          const socket = process.env.SSH_AUTH_SOCK;
          if (!socket) {
            if (m.required)
              throw new DockerfileError(
                input.where.replace(/:\d+$/, ""),
                cmd.line,
                "no SSH agent: SSH_AUTH_SOCK is not set"
              );
            break;
          }
          mounts.push({ type: "ssh", socket, target: m.target });
          break;
        }
      }
    }
    rootfs.ignore(mounts.map((m) => m.target));
    const createdDirs = [];
    for (const d of ["/dev", "/proc", "/sys"]) {
      const host = (0, import_node_path.join)(rootfs.dir, d);
      if (await (0, import_promises.lstat)(host).then(
        () => false,
        () => true
      )) {
        await (0, import_promises.mkdir)(host, { mode: 493 });
        await (0, import_promises.chmod)(host, 493);
        createdDirs.push(d);
      }
    }
    const out = lineWriter(input.step);
    const t0 = performance.now();
    const result = await ctx.sandbox.run({
      rootfs: rootfs.dir,
      argv,
      env,
      cwd,
      user,
      network: cmd.network ?? "default",
      security: cmd.security ?? "sandbox",
      mounts,
      stdout: out,
      stderr: out,
      signal: ctx.signal,
      // The stage releases the root when it ends (executor.ts).
      keepWarm: true
    });
    out.end();
    ctx.signal.throwIfAborted();
    if (result.exitCode !== 0)
      throw new RunFailedError(input.where, argv.at(-1) ?? "", result.exitCode, result.signal);
    const t1 = performance.now();
    const layer = await rootfs.snapshotAll([...createdDirs, ...result.touched ?? []]);
    ctx.log.debug(
      `RUN took ${(t1 - t0).toFixed(0)} ms in the sandbox, ${(performance.now() - t1).toFixed(0)} ms to snapshot`
    );
    return layer;
  } finally {
    for (const c of cleanups) await (0, import_promises.rm)(c, { recursive: true, force: true });
  }
}
export {
  runStep
};
