// The warm runner kills every other process it can see after each command, so it must refuse to
// run anywhere but as the first child of a sandbox's init in a PID namespace of its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('the runner refuses to start outside a PID namespace of its own', () => {
  const script = new URL('../../../src/sandbox/runner-program.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [script], {
    env: { KANIKO_TS_SANDBOX_RUNNER: '1' },
    input: '{"id":1,"argv":["true"],"env":{},"cwd":"/","uid":0,"gid":0}\n',
    encoding: 'utf8',
  });
  assert.equal(r.status, 70);
  assert.match(r.stderr, /not in a PID namespace of its own/);
});
