// Node flags the executor runs with wherever it is started: by the GitHub Action (dist/), as the
// executor image's single executable (SEA execArgv) and in the benches.
//
// --liftoff-only: the only WebAssembly the builder runs is undici's HTTP/1 parser. After a few
// responses V8 starts recompiling its big state machine with the optimising compiler, about 90 ms
// of CPU that a process also waits for at exit: a third of a cached rebuild. The baseline code
// parses response heads fast enough, and body bytes pass through the parser without a scan.
export const EXECUTOR_NODE_FLAGS: readonly string[] = ['--liftoff-only'];
