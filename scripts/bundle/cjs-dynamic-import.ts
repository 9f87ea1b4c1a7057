// esbuild's code splitting puts a CommonJS module reached by import() in a chunk of its own whose
// only export is `export default require_x()` (ESM has no run-time named exports), so
// `const { S3Client } = await import('@aws-sdk/client-s3')` would find nothing but `default`
// (evanw/esbuild#3245). Unsplit, esbuild gives the namespace of the module's exports. This rewrites
// each import() of such a chunk to convert its default export into that namespace again.
import { BundleError } from './run.ts';

/** The last statement of a chunk that is only a CommonJS module's ESM face. */
const COMMONJS_FACE = /\nexport default (require_[\w$]+)\(\);\n?$/;
const HELPER = '__ktsCommonJsNamespace';

/**
 * The namespace the unsplit bundle would give: every own property of `module.exports` (read when
 * used), with the same prototype, and `default` = `module.exports` unless it is marked __esModule.
 */
const HELPER_SOURCE = `
function ${HELPER}(face) {
  const exports = face.default;
  if (exports === null || exports === undefined) return { default: exports };
  const ns = Object.create(Object.getPrototypeOf(exports));
  for (const key of Object.getOwnPropertyNames(exports))
    Object.defineProperty(ns, key, { get: () => exports[key], enumerable: true });
  if (!exports.__esModule) Object.defineProperty(ns, 'default', { value: exports, enumerable: true });
  return ns;
}
`;

/** Names of the chunks that are a CommonJS module's face: `export default require_x();` and no other export. */
export function commonJsFaces(chunks: ReadonlyMap<string, string>): string[] {
  const faces: string[] = [];
  for (const [name, text] of chunks) {
    if (!COMMONJS_FACE.test(text)) continue;
    if ((text.match(/^export /gm) ?? []).length !== 1) continue;
    faces.push(name);
  }
  return faces.sort();
}

/**
 * Returns the chunks with every `import("./FACE")` of a CommonJS face followed by the conversion
 * (and the helper added to the chunks that make one). A face imported in a form this does not know
 * fails the build rather than leave a namespace without its exports.
 */
export function fixCommonJsDynamicImports(chunks: ReadonlyMap<string, string>): Map<string, string> {
  const faces = commonJsFaces(chunks);
  const out = new Map(chunks);
  if (faces.length === 0) return out;
  for (const [name, text] of chunks) {
    let patched = text;
    for (const face of faces) {
      const spec = JSON.stringify(`./${face}`);
      patched = patched.split(`import(${spec})`).join(`import(${spec}).then(${HELPER})`);
      const other = patched.replaceAll(`import(${spec}).then(${HELPER})`, '');
      if (other.includes(spec))
        throw new BundleError(`bundle: ${name} refers to ${face} in a way not converted`);
    }
    if (patched !== text) out.set(name, `${patched}${HELPER_SOURCE}`);
  }
  return out;
}
