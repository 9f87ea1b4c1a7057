// Typed errors of the RUN sandbox: one line, naming the mode and what would work instead.
import type { SandboxName } from './types.ts';

export class SandboxError extends Error {
  readonly sandbox: SandboxName | undefined;
  constructor(message: string, sandbox?: SandboxName) {
    super((sandbox ? `${sandbox} sandbox: ${message}` : message).replace(/\s*\n\s*/g, ' '));
    this.name = 'SandboxError';
    this.sandbox = sandbox;
  }
}
