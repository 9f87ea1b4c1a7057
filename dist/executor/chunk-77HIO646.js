const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

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
