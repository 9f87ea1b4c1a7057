const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/sandbox/errors.ts
var SandboxError = class extends Error {
  sandbox;
  constructor(message, sandbox) {
    super((sandbox ? `${sandbox} sandbox: ${message}` : message).replace(/\s*\n\s*/g, " "));
    this.name = "SandboxError";
    this.sandbox = sandbox;
  }
};

export {
  SandboxError
};
