// What each metadata instruction does to the image config, as BuildKit's dispatcher does it.
// The history text for every instruction comes from the frontend (dockerfile/history.ts).

import { commandArgv, DEFAULT_SHELL, PROXY_ARGS } from '../dockerfile/history.ts';
import type { Command, HealthConfig } from '../dockerfile/instructions.ts';
import { parsePortSpecs } from '../dockerfile/ports.ts';
import type { ContainerConfig } from '../image/types.ts';

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Sets KEY=VALUE in an env list, keeping the position of an existing KEY (as Docker does). */
export function setEnv(env: readonly string[], key: string, value: string): string[] {
  const out = [...env];
  const i = out.findIndex((e) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e) === key);
  if (i >= 0) out[i] = `${key}=${value}`;
  else out.push(`${key}=${value}`);
  return out;
}

export function envToMap(env: readonly string[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env ?? []) {
    const eq = e.indexOf('=');
    if (eq < 0) m.set(e, '');
    else m.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return m;
}

export function shellOf(config: ContainerConfig): readonly string[] {
  return config.Shell && config.Shell.length > 0 ? config.Shell : DEFAULT_SHELL;
}

function healthForConfig(h: HealthConfig): NonNullable<ContainerConfig['Healthcheck']> {
  if (h.test[0] === 'NONE') return { Test: ['NONE'] };
  return {
    Test: h.test,
    ...(h.interval ? { Interval: h.interval } : {}),
    ...(h.timeout ? { Timeout: h.timeout } : {}),
    ...(h.startPeriod ? { StartPeriod: h.startPeriod } : {}),
    ...(h.startInterval ? { StartInterval: h.startInterval } : {}),
    ...(h.retries ? { Retries: h.retries } : {}),
  };
}

export interface MetadataState {
  config: ContainerConfig;
  author?: string;
  /** CMD was set in this stage (an ENTRYPOINT then keeps it). */
  cmdSet: boolean;
}

/** Applies an expanded metadata-only instruction to the config; false for any other instruction. */
export function applyMetadata(state: MetadataState, cmd: Command): boolean {
  const c = state.config;
  switch (cmd.kind) {
    case 'ENV': {
      let env = c.Env ?? [];
      for (const kv of cmd.env) env = setEnv(env, kv.key, kv.value);
      c.Env = env;
      return true;
    }
    case 'LABEL':
      c.Labels = { ...(c.Labels ?? {}) };
      for (const kv of cmd.labels) c.Labels[kv.key] = kv.value;
      return true;
    case 'MAINTAINER':
      state.author = cmd.maintainer;
      return true;
    case 'EXPOSE':
      c.ExposedPorts = { ...(c.ExposedPorts ?? {}) };
      for (const p of parsePortSpecs(cmd.ports)) c.ExposedPorts[p] = {};
      return true;
    case 'USER':
      c.User = cmd.user;
      return true;
    case 'VOLUME':
      c.Volumes = { ...(c.Volumes ?? {}) };
      for (const v of cmd.volumes) c.Volumes[v] = {};
      return true;
    case 'STOPSIGNAL':
      c.StopSignal = cmd.signal;
      return true;
    case 'HEALTHCHECK':
      c.Healthcheck = healthForConfig(cmd.health);
      return true;
    case 'SHELL':
      c.Shell = [...cmd.shell];
      return true;
    case 'ONBUILD':
      c.OnBuild = [...(c.OnBuild ?? []), cmd.expression];
      return true;
    case 'CMD':
      // Today's BuildKit sets ArgsEscaped only for Windows images.
      c.Cmd = commandArgv(cmd, shellOf(c));
      state.cmdSet = true;
      return true;
    case 'ENTRYPOINT':
      c.Entrypoint = commandArgv(cmd, shellOf(c));
      if (!state.cmdSet) c.Cmd = null;
      return true;
    default:
      return false;
  }
}

/** The RUN's environment: the image's Env, then ARG values ENV does not override, then proxy args. */
export function runEnv(
  config: ContainerConfig,
  args: ReadonlyArray<[string, string | undefined]>,
  buildArgs: Record<string, string>,
): string[] {
  const env = [...(config.Env ?? [])];
  const have = envToMap(env);
  for (const [k, v] of args) if (!have.has(k) && v !== undefined) env.push(`${k}=${v}`);
  for (const k of PROXY_ARGS)
    if (Object.hasOwn(buildArgs, k) && !have.has(k)) env.push(`${k}=${buildArgs[k]}`);
  return env;
}
