// Which URL an Azure Blob context is read from: its own, or the same container and blob under
// AZURE_STORAGE_SERVICE_ENDPOINT (the Azure CLI's variable), e.g. Azurite's path-style endpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContextError } from '../../../src/build/errors.ts';
import { azureBlobUrl } from '../../../src/context/azure.ts';
import { type AzureSpec, parseContext } from '../../../src/context/kaniko-url.ts';

const CONTEXT = 'https://devstoreaccount1.blob.core.windows.net/ctr/dir/my%20ctx.tar.gz';
const spec = parseContext(CONTEXT, {}) as AzureSpec;

test('without AZURE_STORAGE_SERVICE_ENDPOINT the URL is read as written', () => {
  assert.equal(azureBlobUrl(spec, {}, CONTEXT), CONTEXT);
  assert.equal(azureBlobUrl(spec, { AZURE_STORAGE_SERVICE_ENDPOINT: '' }, CONTEXT), CONTEXT);
});

test("with it: the URL's /CONTAINER/BLOB under the endpoint's path, encoding kept", () => {
  for (const endpoint of [
    'http://127.0.0.1:10000/devstoreaccount1',
    'http://127.0.0.1:10000/devstoreaccount1/',
  ])
    assert.equal(
      azureBlobUrl(spec, { AZURE_STORAGE_SERVICE_ENDPOINT: endpoint }, CONTEXT),
      'http://127.0.0.1:10000/devstoreaccount1/ctr/dir/my%20ctx.tar.gz',
    );
  assert.equal(
    azureBlobUrl(spec, { AZURE_STORAGE_SERVICE_ENDPOINT: 'https://acct.privatelink.example' }, CONTEXT),
    'https://acct.privatelink.example/ctr/dir/my%20ctx.tar.gz',
  );
});

test('an endpoint that is no http(s) URL, or carries a query or credentials, is a context error', () => {
  for (const endpoint of ['127.0.0.1:10000', 'ftp://h/x', 'http://h/?sig=abc', 'https://u:p@h/'])
    assert.throws(
      () => azureBlobUrl(spec, { AZURE_STORAGE_SERVICE_ENDPOINT: endpoint }, CONTEXT),
      (e: unknown) =>
        e instanceof ContextError &&
        e.message ===
          `context ${CONTEXT}: AZURE_STORAGE_SERVICE_ENDPOINT is not an http(s) URL without query or credentials`,
      endpoint,
    );
});
