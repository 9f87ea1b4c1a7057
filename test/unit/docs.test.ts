// The documents that promise something about the repository keep that promise: README's test
// command is what CI runs, and docs/ARCHITECTURE.md maps every folder of src/ to real exports.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** The commands of the README's "Two commands" block, comments dropped. */
function readmeCommands(): string[] {
  const section = read('README.md').split('## Two commands')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

test('README states two commands, and .ci/run runs the test one', () => {
  const commands = readmeCommands();
  assert.equal(commands.length, 2, commands.join('\n'));
  const testCommand = commands.find((c) => c.endsWith('npm test'));
  assert.ok(testCommand, 'one of the two runs the whole suite');
  const ci = read('.ci/run')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
  assert.deepEqual(ci, testCommand.split(' && '));
  assert.ok(
    commands.some((c) => c.endsWith('npm run example')),
    'the other runs the main job',
  );
});

test('docs/ARCHITECTURE.md names every folder of src/, and its entry points exist there', () => {
  const doc = read('docs/ARCHITECTURE.md');
  const rows = [...doc.matchAll(/^\| `src\/([a-z-]+)\/`\s*\|[^|]*\|([^|]*)\|$/gm)];
  const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.deepEqual(rows.map((r) => r[1]).sort(), folders);
  for (const [, folder, entries] of rows) {
    const dir = join(ROOT, 'src', folder!);
    const source = (readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    // Only the names in backquotes that look like identifiers (not "keys in key.ts").
    for (const [, name] of entries!.matchAll(/`([A-Za-z_][\w.]*)`/g)) {
      const symbol = name!.split('.')[0]!;
      const declared = new RegExp(
        `export (?:async )?(?:function\\*?|class|const|interface|type) ${symbol}\\b`,
      );
      assert.ok(declared.test(source), `src/${folder}/ exports ${symbol}`);
    }
  }
});
