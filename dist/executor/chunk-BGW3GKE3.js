import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);

// src/image/errors.ts
var ImageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ImageError";
  }
};

export {
  ImageError
};
