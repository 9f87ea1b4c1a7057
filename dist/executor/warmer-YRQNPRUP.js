const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  pullImage
} from "./chunk-ZH7GKEJE.js";
import {
  expired
} from "./chunk-VAYJS5MI.js";
import "./chunk-T6U52VLM.js";
import {
  readOciLayout,
  writeOciLayout
} from "./chunk-HMSKSHPT.js";
import "./chunk-2NNVGCBN.js";
import "./chunk-PGPEOOSP.js";
import "./chunk-KGB5P76T.js";
import {
  parseReference
} from "./chunk-5PIJZC72.js";
import "./chunk-77HIO646.js";
import "./chunk-S2V5PZBG.js";
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
import "./chunk-77QJEF4W.js";
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

// src/cache/warmer.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
function platformString(p) {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}
function warmedPath(cacheDir, ref, platform) {
  const name = `${parseReference(ref).toString()} ${platformString(platform)}`;
  return (0, import_node_path.join)(cacheDir, "images", (0, import_node_crypto.createHash)("sha256").update(name).digest("hex"));
}
async function warmImage(ref, o) {
  const place = warmedPath(o.cacheDir, ref, o.platform);
  if (!o.force) {
    const have = await readRecord(place);
    if (have && !expired(have.warmed, o.ttlMs ?? 0)) {
      const parsed = parseReference(ref);
      if (parsed.digest === have.digest) return { digest: have.digest, fetched: false };
    }
  }
  const image = await pullImage(parseReference(ref), {
    platform: o.platform,
    options: o.registry,
    ...o.transport ? { transport: o.transport } : {}
  });
  const digest = await image.digest();
  const tmp = (0, import_node_path.join)(o.cacheDir, "tmp", `warm-${process.pid}-${(0, import_node_crypto.randomBytes)(6).toString("hex")}`);
  await (0, import_promises.mkdir)((0, import_node_path.join)(o.cacheDir, "images"), { recursive: true });
  await (0, import_promises.mkdir)(tmp, { recursive: true });
  try {
    await writeOciLayout(image, tmp, void 0, { mediaTypes: "as-is" });
    const rec = {
      reference: ref,
      platform: o.platform,
      digest,
      warmed: (/* @__PURE__ */ new Date()).toISOString()
    };
    await (0, import_promises.writeFile)((0, import_node_path.join)(tmp, "warmed.json"), JSON.stringify(rec));
    const old = `${tmp}-old`;
    await (0, import_promises.rename)(place, old).catch(() => void 0);
    await (0, import_promises.rename)(tmp, place);
    await (0, import_promises.rm)(old, { recursive: true, force: true });
  } finally {
    await (0, import_promises.rm)(tmp, { recursive: true, force: true });
  }
  return { digest, fetched: true };
}
async function readRecord(place) {
  try {
    return JSON.parse(await (0, import_promises.readFile)((0, import_node_path.join)(place, "warmed.json"), "utf8"));
  } catch {
    return void 0;
  }
}
async function findWarmed(cacheDir, ref, platform, ttlMs = 0) {
  const place = warmedPath(cacheDir, ref, platform);
  if (!(0, import_node_fs.existsSync)(place)) return void 0;
  const rec = await readRecord(place);
  if (!rec || expired(rec.warmed, ttlMs)) return void 0;
  const st = await (0, import_promises.stat)((0, import_node_path.join)(place, "index.json")).catch(() => void 0);
  if (!st) return void 0;
  const image = await readOciLayout(place);
  return await image.digest() === rec.digest ? image : void 0;
}
export {
  findWarmed,
  warmImage,
  warmedPath
};
