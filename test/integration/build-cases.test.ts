// Every case in test/cases built by kaniko-ts and by the BuildKit oracle: same files (path, type,
// mode, owner, content, link) and same config and history. Cases the 2021 oracle cannot build
// are checked against the result the Dockerfile reference gives.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type BuildKitOracle, startBuildKit } from '../support/buildkit.ts';
import { loadCases } from '../support/cases.ts';
import { diffConfigs, diffTrees, withoutPaths } from '../support/compare.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { byPath, imageContains, inspectImage } from '../support/inspect.ts';
import { kanikoBuild } from '../support/kaniko-ts.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const cases = await loadCases();
const only = process.env.KTS_CASES?.split(',');

describe('build cases: kaniko-ts vs BuildKit', () => {
  let reg: TestRegistry;
  let oracle: BuildKitOracle;
  let bases: { busybox: string; debian: string };
  before(async () => {
    reg = await startRegistry();
    [oracle, bases] = await Promise.all([startBuildKit(), pushBaseImages(reg)]);
  });
  after(async () => {
    await oracle?.stop();
    await reg?.stop();
  });

  for (const c of cases) {
    if (only && !only.some((o) => c.name.startsWith(o))) continue;
    test(c.name, async () => {
      const buildArgs = { BUSYBOX: bases.busybox, DEBIAN: bases.debian, ...c.buildArgs };
      const ours = `${reg.host}/kts/${c.name}:1`;
      const result = await kanikoBuild({
        context: c.dir,
        destinations: [ours],
        buildArgs,
        ...(c.target ? { target: c.target } : {}),
        secrets: c.secrets,
      });
      assert.equal(result.code, 0, `kaniko-ts failed:\n${result.stderr.slice(-3000)}`);
      for (const value of Object.values(c.secrets)) {
        assert.ok(
          !result.stdout.includes(value) && !result.stderr.includes(value),
          'a secret value was printed',
        );
      }
      const mine = await inspectImage(ours);
      if (c.oracle) {
        const theirs = `${reg.host}/oracle/${c.name}:1`;
        await oracle.build({
          context: c.dir,
          tag: theirs,
          buildArgs,
          ...(c.target ? { target: c.target } : {}),
          secrets: c.secrets,
        });
        const expected = await inspectImage(theirs);
        const stubs = c.oracleMountStubs;
        for (const stub of stubs)
          assert.ok(!byPath(mine.tree).has(stub), `mount target ${stub} was left in the image`);
        const diffs = [
          ...diffTrees(withoutPaths(expected.tree, stubs), mine.tree),
          ...diffConfigs(expected, mine),
        ];
        assert.deepEqual(diffs, [], `${c.name} differs from BuildKit:\n${diffs.join('\n')}`);
      }
      if (c.expect) {
        const tree = byPath(mine.tree);
        for (const [path, content] of Object.entries(c.expect.files ?? {})) {
          const e = tree.get(path);
          assert.ok(e, `${path} missing`);
          assert.equal(
            e.sha256,
            createHash('sha256').update(content).digest('hex'),
            `${path} content differs`,
          );
        }
        for (const path of c.expect.absent ?? []) assert.ok(!tree.has(path), `${path} should not exist`);
        const env = (mine.config.config?.Env as string[] | undefined) ?? [];
        for (const kv of c.expect.env ?? []) assert.ok(env.includes(kv), `Env lacks ${kv}: ${env.join(' ')}`);
      }
      // Secrets never reach a layer, the config or the history.
      for (const value of Object.values(c.secrets)) {
        assert.equal(await imageContains(ours, value), false, 'a secret value is in the image');
      }
    });
  }
});
