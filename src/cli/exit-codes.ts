// Exit codes, in one place. Documented in README.md ("Exit codes").
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  dockerfile: 3,
  run: 4,
  registry: 5,
  auth: 6,
  context: 7,
  sandbox: 8,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitKind = keyof typeof EXIT;
