// Entry point of the single executable /kaniko/executor: the trust prelude, then the CLI. Inside a
// stage's sandbox the same binary is the warm runner, which must start fast: it loads nothing else.
if (process.env.KANIKO_TS_SANDBOX_RUNNER === '1') {
  const { runnerMain } = await import('../../src/sandbox/runner-program.ts');
  await runnerMain();
} else {
  // The prelude runs before any connection is made. A version query (main.ts's own test) makes
  // none, and the trust store (parsing some 260 certificates) would be most of its time.
  const argv = process.argv.slice(2);
  if (!(argv[0] === 'version' || argv.includes('--version'))) await import('./executor-prelude.ts');
  await import('../../src/cli/main.ts');
}
