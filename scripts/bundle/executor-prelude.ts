// Runs first inside the bundled executor (/kaniko/executor), before the CLI: sets the TLS trust
// store from /kaniko/ssl/certs (see trust.ts). A broken certificate file is a warning, not a stop,
// so a build that needs no TLS still runs.
import { dirname } from 'node:path';
import { installTrust, trustSources } from './trust.ts';

try {
  installTrust(trustSources(process.env, dirname(process.execPath)));
} catch (e) {
  process.stderr.write(`kaniko-ts: warning: CA certificates not loaded: ${(e as Error).message}\n`);
}
