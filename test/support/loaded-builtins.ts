// Preloaded with `--import`: at exit, writes the Node built-in modules the process loaded, one per
// line, to the file $KTS_LOADED_BUILTINS names (tests of what a fast path does not load).
import { writeFileSync } from 'node:fs';

const out = process.env.KTS_LOADED_BUILTINS;
if (out) {
  process.on('exit', () => {
    // Node's own record of the modules it loaded (undocumented, stable since Node 0.x).
    const list = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
    const builtins = list
      .filter((m) => m.startsWith('NativeModule '))
      .map((m) => m.slice('NativeModule '.length));
    writeFileSync(out, `${builtins.join('\n')}\n`);
  });
}
