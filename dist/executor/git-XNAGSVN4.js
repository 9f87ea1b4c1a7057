const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  isCommitHash
} from "./chunk-57CJ4FLA.js";
import {
  ContextError
} from "./chunk-NLAINIXL.js";
import {
  require_node_child_process
} from "./chunk-Y3A2L6LS.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/context/git.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
function gitCredentials(spec, env) {
  if (env.GIT_TOKEN) return { username: env.GIT_TOKEN, password: "" };
  if (env.GIT_USERNAME || env.GIT_PASSWORD)
    return { username: env.GIT_USERNAME ?? "", password: env.GIT_PASSWORD ?? "" };
  return spec.userinfo;
}
function gitEnv(spec, opts) {
  const env = {
    ...opts.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "true",
    SSH_ASKPASS: "true"
  };
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  const config = [
    ["protocol.file.allow", "never"],
    ["fetch.unpackLimit", "1"]
  ];
  const creds = gitCredentials(spec, opts.env);
  const url = new URL(spec.url);
  if (creds && (url.protocol === "https:" || url.protocol === "http:")) {
    const basic = Buffer.from(`${creds.username}:${creds.password}`).toString("base64");
    config.push([`http.${url.origin}/.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  if (opts.git.insecureSkipTLS) env.GIT_SSL_NO_VERIFY = "true";
  else if (opts.env.SSL_CERT_FILE && !opts.env.GIT_SSL_CAINFO) env.GIT_SSL_CAINFO = opts.env.SSL_CERT_FILE;
  const base = Number(opts.env.GIT_CONFIG_COUNT ?? 0) || 0;
  config.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${base + i}`] = k;
    env[`GIT_CONFIG_VALUE_${base + i}`] = v;
  });
  env.GIT_CONFIG_COUNT = String(base + config.length);
  return env;
}
function runGit(args, cwd, env, signal, onStderr) {
  return new Promise((resolve, reject) => {
    const child = (0, import_node_child_process.spawn)("git", args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...signal ? { signal } : {}
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => {
      if (stdout.length < 1 << 20) stdout += b.toString();
    });
    child.stderr.on("data", (b) => {
      const text = b.toString();
      onStderr?.(text);
      stderr = (stderr + text).slice(-64 * 1024);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 128, stdout, stderr }));
  });
}
function gitComplaint(stderr, secrets) {
  const lines = stderr.split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
  let line = lines.find((l) => /^fatal:/.test(l)) ?? lines.find((l) => /^error:/.test(l)) ?? lines.at(-1) ?? "git failed";
  line = line.replace(/^(fatal|error): /, "");
  for (const s of secrets) if (s) line = line.split(s).join("***");
  return line.replace(/(\w+:\/\/)[^/@\s]*@/g, "$1***@");
}
var UNITS = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
var PROGRESS_EVERY = 16 * 1024 * 1024;
function fetchProgress(where, log) {
  let next = PROGRESS_EVERY;
  return (text) => {
    let bytes;
    for (const m of text.matchAll(/Receiving objects:[^,\r\n]*, ([\d.]+) (bytes|KiB|MiB|GiB)/g))
      bytes = Number(m[1]) * (UNITS[m[2]] ?? 1);
    if (bytes === void 0 || bytes < next) return;
    log(`context ${where}: fetched ${(bytes / 1024 ** 2).toFixed(1)} MiB of git objects`);
    while (next <= bytes) next += PROGRESS_EVERY;
  };
}
async function packBytes(dir) {
  const names = await (0, import_promises.readdir)(dir).catch(() => []);
  const sizes = await Promise.all(
    names.map(
      (n) => (0, import_promises.stat)((0, import_node_path.join)(dir, n)).then(
        (s) => s.size,
        () => 0
      )
    )
  );
  return sizes.reduce((a, b) => a + b, 0);
}
async function fetchGit(spec, opts) {
  const env = gitEnv(spec, opts);
  const creds = gitCredentials(spec, opts.env);
  const secrets = (creds ? [
    creds.password,
    Buffer.from(`${creds.username}:${creds.password}`).toString("base64"),
    opts.env.GIT_TOKEN ?? ""
  ] : []).filter((s) => s.length >= 4);
  const fail = (what, r) => {
    const detail = gitComplaint(r.stderr, secrets);
    if (/couldn't find remote ref|not our ref|no such remote ref|unadvertised object|bad object|reference is not a tree|did not match any|unknown revision/i.test(
      r.stderr
    ))
      throw new ContextError(`context ${opts.where}: git ${what} not found (${detail})`);
    if (/Authentication failed|could not read Username|HTTP 40[13]|returned error: 40[13]/i.test(r.stderr))
      throw new ContextError(`context ${opts.where}: git authentication failed (${detail})`);
    throw new ContextError(`context ${opts.where}: git ${what}: ${detail}`);
  };
  const git = async (args, what, onStderr) => {
    const r = await runGit(args, opts.dir, env, opts.signal, onStderr).catch((e) => {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw new ContextError(`context ${opts.where}: cannot run git: ${e.code ?? e.message}`);
    });
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (r.code !== 0) fail(what, r);
    return r;
  };
  await (0, import_promises.mkdir)(opts.dir, { recursive: true });
  await git(["init", "--quiet"], "init");
  await git(["config", "remote.origin.url", spec.url], "config");
  let ref = spec.ref;
  let checkout = spec.commit;
  if (opts.git.branch) {
    const name = opts.git.branch;
    const r = await git(["ls-remote", "--heads", "--tags", "--", spec.url], "ls-remote");
    const names = new Set(r.stdout.split("\n").map((l) => l.split("	")[1]));
    if (names.has(`refs/heads/${name}`)) ref = `refs/heads/${name}`;
    else if (names.has(`refs/tags/${name}`)) ref = `refs/tags/${name}`;
    else throw new ContextError(`context ${opts.where}: git branch ${name} not found`);
  }
  if (ref && isCommitHash(ref) && !checkout) {
    checkout = ref;
    ref = void 0;
  }
  const depth = checkout ? [] : ["--depth=1"];
  const refspec = ref ? `+${ref}:refs/kaniko-ts/context` : "+HEAD:refs/kaniko-ts/context";
  const progress = opts.log ? ["--progress"] : ["--quiet"];
  const fetchArgs = ["fetch", ...progress, "--no-tags", ...depth, "--", spec.url, refspec];
  if (checkout && !ref) {
    fetchArgs.splice(
      fetchArgs.indexOf(refspec),
      1,
      "+refs/heads/*:refs/kaniko-ts/heads/*",
      "+refs/tags/*:refs/tags/*"
    );
  }
  opts.log?.(`context ${opts.where}: git fetch ${ref ?? (checkout ? "all branches" : "HEAD")}`);
  await git(
    fetchArgs,
    ref ? `ref ${ref}` : "fetch",
    opts.log ? fetchProgress(opts.where, opts.log) : void 0
  );
  await git(
    [
      "-c",
      "advice.detachedHead=false",
      "checkout",
      "--quiet",
      "--detach",
      checkout ?? "refs/kaniko-ts/context",
      "--"
    ],
    checkout ? `commit ${checkout}` : "checkout"
  );
  if (opts.git.recurseSubmodules) {
    await git(["submodule", "update", "--init", "--recursive"], "submodules");
  }
  const head = await git(["rev-parse", "HEAD"], "rev-parse");
  const bytes = await packBytes((0, import_node_path.join)(opts.dir, ".git", "objects", "pack"));
  opts.log?.(`context ${opts.where}: fetched ${bytes} bytes of git objects, at commit ${head.stdout.trim()}`);
}
export {
  fetchGit,
  fetchProgress,
  gitCredentials,
  gitEnv
};
