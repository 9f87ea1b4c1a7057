// Typed errors of the registry client. Each is one line and names where it came from (registry,
// repository, digest) so the CLI can map `kind` to an exit code and print `message` as is.

export type RegistryErrorKind =
  /** 401/403, a refused token, a failing credential helper. */
  | 'auth'
  /** 404 on a manifest, blob or repository. */
  | 'not-found'
  /** Unreachable, reset, timed out, TLS failure, 5xx after the retries. */
  | 'network'
  /** A digest or size that does not match the bytes received. */
  | 'integrity'
  /** Something the registry answered that this client refuses (schema1, no matching platform...). */
  | 'unsupported'
  /** Any other unexpected answer. */
  | 'protocol';

export interface RegistryErrorWhere {
  registry: string;
  repository?: string;
  digest?: string;
}

export class RegistryError extends Error {
  readonly kind: RegistryErrorKind;
  readonly registry: string;
  readonly repository: string | undefined;
  readonly digest: string | undefined;
  /** HTTP status when the error came from a response. */
  readonly status: number | undefined;

  constructor(kind: RegistryErrorKind, where: RegistryErrorWhere, detail: string, status?: number) {
    const place = where.repository ? `${where.registry}/${where.repository}` : where.registry;
    const at = where.digest ? `${place}@${where.digest}` : place;
    super(`${at}: ${detail}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'RegistryError';
    this.kind = kind;
    this.registry = where.registry;
    this.repository = where.repository;
    this.digest = where.digest;
    this.status = status;
  }
}

/** An image reference that does not parse; the message says what is wrong with it. */
export class InvalidReferenceError extends Error {
  readonly reference: string;
  constructor(reference: string, why: string) {
    super(`invalid reference "${reference}": ${why}`);
    this.name = 'InvalidReferenceError';
    this.reference = reference;
  }
}

/** The exit code (src/cli/exit-codes.ts) a registry failure maps to: auth exits 6, the rest 5. */
export function exitKindOf(e: RegistryError): 'auth' | 'registry' {
  return e.kind === 'auth' ? 'auth' : 'registry';
}
