// ONBUILD triggers stored in a base image's config (`"OnBuild": ["RUN make", ...]`) parsed into
// commands that run at the start of the child stage, each placed on the child's FROM line.
import { DockerfileError } from './errors.ts';
import { type Command, parseCommand } from './instructions.ts';
import { parseDockerfile } from './parser.ts';

/** Parses a base image's OnBuild array; `line` is the FROM line of the stage that inherits it. */
export function parseOnBuildTriggers(triggers: readonly string[], file: string, line: number): Command[] {
  return triggers.map((trigger) => {
    try {
      const df = parseDockerfile(trigger, file);
      if (df.nodes.length !== 1)
        throw new DockerfileError(file, line, 'onbuild trigger should be a single expression');
      const node = df.nodes[0]!;
      const kw = node.instruction.toUpperCase();
      if (kw === 'ONBUILD' || kw === 'FROM' || kw === 'MAINTAINER')
        throw new DockerfileError(file, line, `${kw} isn't allowed as an ONBUILD trigger`);
      const cmd = parseCommand({ ...node, startLine: line, endLine: line }, file);
      return cmd;
    } catch (e) {
      if (e instanceof DockerfileError && e.line !== line)
        throw new DockerfileError(file, line, `ONBUILD trigger ${JSON.stringify(trigger)}: ${e.detail}`);
      throw e;
    }
  });
}
