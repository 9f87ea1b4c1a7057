// Errors the executor raises itself (the frontend, registry and filesystem modules have theirs).

/** A RUN command exited non-zero. */
export class RunFailedError extends Error {
  readonly exitCode: number;
  constructor(where: string, command: string, exitCode: number, signal?: string) {
    const short = command.length > 120 ? `${command.slice(0, 117)}...` : command;
    super(
      `${where}: RUN ${short.replace(/\s*\n\s*/g, ' ')}: ${signal ? `killed by ${signal}` : `exit code ${exitCode}`}`,
    );
    this.name = 'RunFailedError';
    this.exitCode = exitCode;
  }
}

/** The build context or a source inside it is missing or unusable. */
export class ContextError extends Error {
  override name = 'ContextError';
}

/** The build was cancelled (SIGINT/SIGTERM). */
export class CancelledError extends Error {
  readonly signal: 'SIGINT' | 'SIGTERM';
  constructor(signal: 'SIGINT' | 'SIGTERM') {
    super(`build cancelled by ${signal}`);
    this.name = 'CancelledError';
    this.signal = signal;
  }
}
