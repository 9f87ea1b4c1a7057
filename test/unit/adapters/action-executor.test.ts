// The command the action starts the executor with: the runner's Node, the executor's Node flags
// (which the executor really runs with), then the CLI; KANIKO_TS_EXECUTOR replaces all of it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { executorCommand } from '../../../action/executor-command.ts';
import { EXECUTOR_NODE_FLAGS } from '../../../src/cli/node-flags.ts';
import { run } from '../../support/exec.ts';

test('from source: node, the executor flags, bin/kaniko-ts.js', () => {
  const cmd = executorCommand({});
  assert.equal(cmd[0], process.execPath);
  assert.deepEqual(cmd.slice(1, -1), [...EXECUTOR_NODE_FLAGS]);
  assert.match(cmd.at(-1)!, /\/bin\/kaniko-ts\.js$/);
  assert.ok(EXECUTOR_NODE_FLAGS.some((f) => f.startsWith('--wasm-tiering-budget=')));
});

test('KANIKO_TS_EXECUTOR replaces the whole command', () => {
  assert.deepEqual(executorCommand({ KANIKO_TS_EXECUTOR: '/kaniko/executor' }), ['/kaniko/executor']);
});

test('the executor runs with the flags (its debug log says so)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kts-action-exec-'));
  try {
    const [cmd, ...args] = executorCommand({});
    const r = await run(
      cmd!,
      [...args, '--verbosity=debug', '--no-push', '--context', dir, '--dockerfile', join(dir, 'Dockerfile')],
      { allowFailure: true },
    );
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      new RegExp(`DEBUG: kaniko-ts \\S+, node v\\S+ ${EXECUTOR_NODE_FLAGS.join(' ')}\\n`),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
