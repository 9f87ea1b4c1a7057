const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/build/errors.ts
var RunFailedError = class extends Error {
  exitCode;
  constructor(where, command, exitCode, signal) {
    const short = command.length > 120 ? `${command.slice(0, 117)}...` : command;
    super(
      `${where}: RUN ${short.replace(/\s*\n\s*/g, " ")}: ${signal ? `killed by ${signal}` : `exit code ${exitCode}`}`
    );
    this.name = "RunFailedError";
    this.exitCode = exitCode;
  }
};
var ContextError = class extends Error {
  name = "ContextError";
};
var CancelledError = class extends Error {
  signal;
  constructor(signal) {
    super(`build cancelled by ${signal}`);
    this.name = "CancelledError";
    this.signal = signal;
  }
};

export {
  RunFailedError,
  ContextError,
  CancelledError
};
