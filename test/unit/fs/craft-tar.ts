// Hand-made tar bytes for the hostile corpus: every field settable, nothing validated, so tests
// can express archives no well-behaved writer would produce.

export interface RawHeader {
  type?: string;
  size?: number;
  mode?: number;
  uid?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Raw 12-byte size field (e.g. base-256). */
  sizeField?: Buffer;
  uidField?: Buffer;
  badChecksum?: boolean;
}

function octal(buf: Buffer, value: number, off: number, width: number): void {
  buf.write(value.toString(8).padStart(width - 1, '0'), off, width - 1, 'ascii');
}

export function header(name: string, h: RawHeader = {}): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, 'utf8');
  octal(b, h.mode ?? 0o644, 100, 8);
  if (h.uidField) h.uidField.copy(b, 108);
  else octal(b, h.uid ?? 0, 108, 8);
  octal(b, 0, 116, 8);
  if (h.sizeField) h.sizeField.copy(b, 124);
  else octal(b, h.size ?? 0, 124, 12);
  octal(b, 1_600_000_000, 136, 12);
  b.write(h.type ?? '0', 156, 1, 'latin1');
  b.write(h.linkname ?? '', 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  octal(b, h.devmajor ?? 0, 329, 8);
  octal(b, h.devminor ?? 0, 337, 8);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of b) sum += c;
  octal(b, h.badChecksum ? sum + 1 : sum, 148, 7);
  return b;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

export function file(name: string, content: string | Buffer, h: RawHeader = {}): Buffer {
  const data = Buffer.from(content);
  return Buffer.concat([header(name, { ...h, size: data.length }), data, pad(data.length)]);
}

export const dir = (name: string, mode = 0o755) => header(name, { type: '5', mode });
export const symlink = (name: string, target: string) => header(name, { type: '2', linkname: target });
export const hardlink = (name: string, target: string) => header(name, { type: '1', linkname: target });

/** A typed metadata entry (PAX 'x'/'g', GNU 'L'/'K') with arbitrary data. */
export function meta(type: 'x' | 'g' | 'L' | 'K', data: Buffer): Buffer {
  return Buffer.concat([header('././@Meta', { type, size: data.length }), data, pad(data.length)]);
}

/** PAX records; as an array of pairs, the same key may repeat (GNU sparse 0.0 does). */
export function paxRecords(
  records: Record<string, string | Buffer> | Array<[string, string | Buffer]>,
): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Array.isArray(records) ? records : Object.entries(records)) {
    const val = Buffer.from(v);
    const body = Buffer.byteLength(k) + val.length + 3;
    let len = body + String(body).length;
    if (String(len).length !== String(body).length) len = body + String(len).length;
    parts.push(Buffer.from(`${len} ${k}=`), val, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

export function archive(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}
