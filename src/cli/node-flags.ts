// Node flags the executor runs with wherever it is started: by the GitHub Action (dist/), as the
// executor image's single executable (SEA execArgv) and in the benches.
//
// --wasm-tiering-budget: the only WebAssembly the builder runs is undici's HTTP/1 parser. With
// V8's default budget its big state machine is recompiled by the optimising compiler after a few
// dozen responses: about 90 ms of CPU that a process also waits for at exit, a quarter of a
// cached rebuild. A budget a hundred times larger (measured: 13e6 → 1e8) leaves short builds on
// the baseline code, while a long pull still tiers up: a 400 MB pull is as fast as with the
// default (--liftoff-only, never tiering up, made it about 8% slower).
export const EXECUTOR_NODE_FLAGS: readonly string[] = ['--wasm-tiering-budget=100000000'];
