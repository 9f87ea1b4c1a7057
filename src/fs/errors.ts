// Errors of the filesystem engine. Each names the archive entry or path it is about; messages
// are one line and never include file contents.

/** A tar entry that would write outside the root, or is otherwise refused as hostile. */
export class UnsafeEntryError extends Error {
  override name = 'UnsafeEntryError';
  readonly entry: string;
  constructor(entry: string, reason: string, where?: string) {
    super(`${where ? `${where}: ` : ''}refused tar entry ${JSON.stringify(entry)}: ${reason}`);
    this.entry = entry;
  }
}

/** The archive itself is malformed: bad header, truncated stream, wrong compression. */
export class ArchiveFormatError extends Error {
  override name = 'ArchiveFormatError';
  constructor(message: string, where?: string) {
    super(`${where ? `${where}: ` : ''}${message}`);
  }
}

/** A COPY/ADD source that does not exist (or matches nothing). */
export class SourceNotFoundError extends Error {
  override name = 'SourceNotFoundError';
  readonly source: string;
  constructor(source: string, detail?: string) {
    super(`COPY/ADD source not found: ${source}${detail ? ` (${detail})` : ''}`);
    this.source = source;
  }
}

/** A COPY/ADD argument that cannot be used (bad --chown user, bad --chmod, bad destination). */
export class CopyError extends Error {
  override name = 'CopyError';
}

/** ADD <url> --checksum did not match, or the download failed. */
export class DownloadError extends Error {
  override name = 'DownloadError';
  readonly url: string;
  constructor(url: string, message: string) {
    super(`ADD ${redactUrl(url)}: ${message}`);
    this.url = redactUrl(url);
  }
}

/** Drops user:password from a URL so errors never carry credentials. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
