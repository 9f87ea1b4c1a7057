// The Dockerfile frontend: parser -> instructions -> expansion -> build plan, plus .dockerignore.

export type { LoadedDockerignore } from './dockerignore.ts';
export {
  cleanPath,
  DockerignoreError,
  IgnoreMatcher,
  loadDockerignore,
  readDockerignore,
} from './dockerignore.ts';
export { formatGoDuration, parseGoDuration } from './duration.ts';
export type { DockerfileWarning } from './errors.ts';
export { DockerfileError, ExpansionError, suggest } from './errors.ts';
export type { ExpandOptions } from './expand.ts';
export { expandCommand, validateChmod } from './expand.ts';
export type { LexOptions, LexResult, Lookup } from './expansion.ts';
export { expandWord, expandWords, lex, lookupIn } from './expansion.ts';
export type { HistoryContext } from './history.ts';
export {
  commandArgv,
  createdBy,
  createsLayer,
  DEFAULT_SHELL,
  goQuote,
  healthcheckHistory,
  isValidSignal,
  normalizeWorkdir,
  PROXY_ARGS,
  runArgv,
} from './history.ts';
export type * from './instructions.ts';
export { INSTRUCTIONS, parseCommand, toInstructions } from './instructions.ts';
export type { CacheSharing, MountType, RunMount } from './mounts.ts';
export { parseMount } from './mounts.ts';
export { parseOnBuildTriggers } from './onbuild.ts';
export type { Directive, Heredoc, KeyValueNode, Node, ParsedDockerfile } from './parser.ts';
export {
  chompHeredocContent,
  extractBuilderFlags,
  parseDockerfile,
  parseHeredocWord,
  parseWords,
} from './parser.ts';
export { parsePortSpec, parsePortSpecs } from './ports.ts';
export type { BuildPlan, PlannedStage, PlanOptions, Platform, SourceRef, StageBase } from './stages.ts';
export { formatPlatform, planBuild, platformArgs, resolveSourceRef, stageArgValue } from './stages.ts';
