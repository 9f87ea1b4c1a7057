const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/fs/errors.ts
var UnsafeEntryError = class extends Error {
  name = "UnsafeEntryError";
  entry;
  constructor(entry, reason, where) {
    super(`${where ? `${where}: ` : ""}refused tar entry ${JSON.stringify(entry)}: ${reason}`);
    this.entry = entry;
  }
};
var ArchiveFormatError = class extends Error {
  name = "ArchiveFormatError";
  constructor(message, where) {
    super(`${where ? `${where}: ` : ""}${message}`);
  }
};
var SourceNotFoundError = class extends Error {
  name = "SourceNotFoundError";
  source;
  constructor(source, detail) {
    super(`COPY/ADD source not found: ${source}${detail ? ` (${detail})` : ""}`);
    this.source = source;
  }
};
var CopyError = class extends Error {
  name = "CopyError";
};
var DownloadError = class extends Error {
  name = "DownloadError";
  url;
  constructor(url, message) {
    super(`ADD ${redactUrl(url)}: ${message}`);
    this.url = redactUrl(url);
  }
};
function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = "";
      u.password = "";
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//");
  }
}

export {
  UnsafeEntryError,
  ArchiveFormatError,
  SourceNotFoundError,
  CopyError,
  DownloadError
};
