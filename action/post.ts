// The action's post step: removes the private directory of the main step (docker config with
// the login, digest files). Runs even when the main step failed.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import * as core from '@actions/core';
import { STATE_CLEANUP, STATE_TEMP_DIR } from './main.ts';

export async function runPost(): Promise<void> {
  const dir = core.getState(STATE_TEMP_DIR);
  if (!dir) return;
  try {
    if (core.getState(STATE_CLEANUP) === 'sudo') {
      // The executor ran as root through sudo: its files are root's.
      const r = spawnSync('sudo', ['--non-interactive', 'rm', '-rf', '--', dir], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`sudo rm exited ${r.status}`);
    } else await rm(dir, { recursive: true, force: true });
  } catch (e) {
    core.warning(`kaniko-ts: could not remove ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}
