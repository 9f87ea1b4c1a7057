// PresentBlobs asks nothing of Docker Hub (a manifest GET counts against the pull limit there),
// nor for a destination named by digest; a failed read means nothing is known.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PresentBlobs } from '../../../src/image/push.ts';
import { parseReference } from '../../../src/registry/reference.ts';
import type { Transport } from '../../../src/registry/transport.ts';

function recording(): { t: Transport; asked: string[] } {
  const asked: string[] = [];
  const t = {
    options: {},
    async send(req: { registry: string; path: string }) {
      asked.push(`${req.registry}${req.path}`);
      throw new Error('unreachable in this test');
    },
  } as unknown as Transport;
  return { t, asked };
}

test('Docker Hub and digest destinations are not read; a failed read is an empty set', async () => {
  const { t, asked } = recording();
  const present = new PresentBlobs(t);
  present.prefetch(parseReference('user/app:latest'));
  present.prefetch(parseReference(`registry.example/app@sha256:${'a'.repeat(64)}`));
  present.prefetch(parseReference('registry.example/app:1'));
  assert.deepEqual(asked, ['registry.example/v2/app/manifests/1']);
  assert.equal((await present.lookup({ registry: 'registry.example', repository: 'app' })).size, 0);
  assert.equal((await present.lookup({ registry: 'index.docker.io', repository: 'user/app' })).size, 0);
});
