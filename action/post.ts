// The action's post step: removes the private directory of the main step (docker config with
// the login, digest files). Runs even when the main step failed.
import { rm } from 'node:fs/promises';
import * as core from '@actions/core';
import { STATE_TEMP_DIR } from './main.ts';

export async function runPost(): Promise<void> {
  const dir = core.getState(STATE_TEMP_DIR);
  if (!dir) return;
  try {
    await rm(dir, { recursive: true, force: true });
  } catch (e) {
    core.warning(`kaniko-ts: could not remove ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}
