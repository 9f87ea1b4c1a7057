const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  DOCKER_HUB,
  RegistryError,
  normaliseRegistry
} from "./chunk-5PIJZC72.js";
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
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/registry/auth/keychain.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var anonymous = { resolve: async () => void 0 };
function staticKeychain(entries) {
  return {
    async resolve(registry) {
      const h = normaliseRegistry(registry);
      for (const [k, v] of Object.entries(entries)) if (normaliseRegistry(hostOf(k)) === h) return v;
      return void 0;
    }
  };
}
function hostOf(key) {
  return key.replace(/^[a-z]+:\/\//i, "").split("/")[0] ?? key;
}
function dockerConfigCandidates(env = process.env) {
  const out = [];
  if (env.DOCKER_CONFIG) out.push((0, import_node_path.join)(env.DOCKER_CONFIG, "config.json"));
  out.push((0, import_node_path.join)(env.HOME ?? (0, import_node_os.homedir)(), ".docker", "config.json"));
  out.push("/kaniko/.docker/config.json");
  return out;
}
function helperServerUrl(registry) {
  return registry === DOCKER_HUB ? "https://index.docker.io/v1/" : registry;
}
function runCredentialHelper(helper, registry, env = process.env) {
  const bin = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn(bin, ["get"], { stdio: ["pipe", "pipe", "pipe"], env });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    child.on(
      "error",
      (e) => reject(
        new RegistryError(
          "auth",
          { registry },
          e.code === "ENOENT" ? `credential helper ${bin} not found on PATH` : `${bin}: ${e.message}`
        )
      )
    );
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      if (code !== 0) {
        const said = `${stdout}
${Buffer.concat(err).toString("utf8")}`;
        if (/credentials not found/i.test(said)) {
          resolve(void 0);
          return;
        }
        const first = said.trim().split("\n")[0]?.slice(0, 200) ?? "";
        reject(
          new RegistryError("auth", { registry }, `credential helper ${bin} failed (exit ${code}): ${first}`)
        );
        return;
      }
      try {
        const j = JSON.parse(stdout);
        if (!j.Secret) resolve(void 0);
        else if (j.Username === "<token>")
          resolve({ kind: "identity", username: "<token>", token: j.Secret });
        else resolve({ kind: "basic", username: j.Username ?? "", password: j.Secret });
      } catch {
        reject(
          new RegistryError(
            "auth",
            { registry },
            `credential helper ${bin} printed something that is not JSON`
          )
        );
      }
    });
    child.stdin.end(helperServerUrl(registry));
  });
}
function fromEntry(e) {
  if (e.registrytoken) return { kind: "registry", token: e.registrytoken };
  let username = e.username;
  let password = e.password;
  if (e.auth) {
    const decoded = Buffer.from(e.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon >= 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (e.identitytoken) return { kind: "identity", username: username ?? "", token: e.identitytoken };
  if (username !== void 0 && password !== void 0 && (username !== "" || password !== ""))
    return { kind: "basic", username, password };
  return void 0;
}
function dockerConfigKeychain(opts = {}) {
  const env = opts.env ?? process.env;
  let loaded;
  const load = async () => {
    for (const p of opts.paths ?? dockerConfigCandidates(env)) {
      if (!(0, import_node_fs.existsSync)(p)) continue;
      try {
        return JSON.parse(await (0, import_promises.readFile)(p, "utf8"));
      } catch (e) {
        throw new RegistryError(
          "auth",
          { registry: p },
          `cannot read docker config: ${e.message}`
        );
      }
    }
    return {};
  };
  return {
    async resolve(registry) {
      loaded ??= load();
      const cfg = await loaded;
      const host = normaliseRegistry(registry);
      for (const [k, helper] of Object.entries(cfg.credHelpers ?? {}))
        if (normaliseRegistry(hostOf(k)) === host) return runCredentialHelper(helper, host, env);
      if (cfg.credsStore) {
        const c = await runCredentialHelper(cfg.credsStore, host, env);
        if (c) return c;
      }
      for (const [k, entry] of Object.entries(cfg.auths ?? {}))
        if (normaliseRegistry(hostOf(k)) === host) return fromEntry(entry);
      return void 0;
    }
  };
}
function multiKeychain(...chains) {
  return {
    async resolve(registry) {
      for (const c of chains) {
        const cred = await c.resolve(registry);
        if (cred) return cred;
      }
      return void 0;
    }
  };
}

export {
  anonymous,
  staticKeychain,
  dockerConfigCandidates,
  runCredentialHelper,
  dockerConfigKeychain,
  multiKeychain
};
