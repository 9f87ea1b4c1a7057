// The build: context → Dockerfile → stages → image → outputs. (Being assembled; see docs/ARCHITECTURE.md.)
import type { BuildOptions } from '../cli/options.ts';
import type { Logger } from '../log/logger.ts';

export interface BuildResult {
  digest: string;
}

export async function build(_opts: BuildOptions, _log: Logger, _signal: AbortSignal): Promise<BuildResult> {
  throw new Error('building is not available yet in this version');
}
