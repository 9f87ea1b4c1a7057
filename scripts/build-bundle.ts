// npm run bundle -- --out DIR [--debug]: builds the self-contained executor tree DIR/kaniko
// (see scripts/bundle/bundle.ts and cloudbuild/README.md).
import { parseArgs } from 'node:util';
import { buildBundle } from './bundle/bundle.ts';

const { values } = parseArgs({
  options: { out: { type: 'string' }, debug: { type: 'boolean', default: false } },
  strict: true,
});
if (!values.out) {
  process.stderr.write('usage: npm run bundle -- --out DIR [--debug]\n');
  process.exit(2);
}
try {
  const r = await buildBundle({ out: values.out, debug: values.debug });
  process.stdout.write(`bundle: ${r.executable} (kaniko-ts ${r.version}), image config ${r.imageConfig}\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
