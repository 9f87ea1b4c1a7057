// Entry point of the single executable /kaniko/executor: the trust prelude, then the CLI.
// Import order is evaluation order, so the prelude runs before any connection is made.
import './executor-prelude.ts';
import '../../src/cli/main.ts';
