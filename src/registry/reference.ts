// Image references parsed and normalised as Docker does (distribution's reference grammar):
// `busybox` is index.docker.io/library/busybox:latest, `host:5000/a/b@sha256:…`, tag+digest.
import { InvalidReferenceError } from './errors.ts';

/** Docker Hub, under the name kaniko's --registry-map and config.json keys use. */
export const DOCKER_HUB = 'index.docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export interface Reference {
  /** host[:port], Docker Hub as index.docker.io. */
  readonly registry: string;
  /** Path inside the registry, e.g. library/busybox. */
  readonly repository: string;
  /** The tag; `latest` when neither a tag nor a digest was given. */
  readonly tag?: string;
  readonly digest?: string;
  /** registry/repository */
  readonly name: string;
  /** The tag or digest a manifest request names (the digest wins when both are given). */
  readonly identifier: string;
  /** name[:tag][@digest] */
  toString(): string;
}

export interface ParseOptions {
  /** Registry of names without one; Docker Hub by default. */
  defaultRegistry?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_PART = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function normaliseRegistry(host: string): string {
  const h = host.toLowerCase();
  return HUB_ALIASES.has(h) ? DOCKER_HUB : host;
}

/** Validates a digest string (`sha256:` + 64 lowercase hex, `sha512:` + 128). */
export function validateDigest(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return 'digest must look like sha256:<64 hex digits>';
  const [alg, hex] = digest.split(':') as [string, string];
  const len = alg === 'sha256' ? 64 : alg === 'sha512' ? 128 : 0;
  if (len === 0) return `unsupported digest algorithm "${alg}"`;
  if (hex.length !== len || !/^[0-9a-f]+$/.test(hex))
    return `${alg} digest must be ${len} lowercase hex digits`;
  return undefined;
}

function validDomain(d: string): boolean {
  if (d.startsWith('[')) return /^\[[0-9a-fA-F:.]+\](?::\d+)?$/.test(d);
  const [host, port, ...rest] = d.split(':');
  if (rest.length > 0 || host === undefined || host === '') return false;
  if (port !== undefined && !/^\d{1,5}$/.test(port)) return false;
  return host.split('.').every((p) => DOMAIN_PART.test(p));
}

export function makeReference(
  registry: string,
  repository: string,
  tag?: string,
  digest?: string,
): Reference {
  const name = `${registry}/${repository}`;
  const t = tag ?? (digest ? undefined : 'latest');
  return {
    registry,
    repository,
    ...(t !== undefined ? { tag: t } : {}),
    ...(digest !== undefined ? { digest } : {}),
    name,
    identifier: digest ?? t ?? 'latest',
    toString: () => `${name}${t !== undefined ? `:${t}` : ''}${digest ? `@${digest}` : ''}`,
  };
}

export function parseReference(s: string, opts: ParseOptions = {}): Reference {
  const bad = (why: string): never => {
    throw new InvalidReferenceError(s, why);
  };
  if (s === '') bad('empty');
  if (/\s/.test(s)) bad('contains whitespace');
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const why = validateDigest(digest);
    if (why) bad(why);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) bad(`invalid tag "${tag}" (letters, digits, _ . - and at most 128 characters)`);
  }
  if (rest === '') bad('missing repository name');
  const slash = rest.indexOf('/');
  let registry: string;
  let repository: string;
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first)
  ) {
    if (!validDomain(first)) bad(`invalid registry host "${first}"`);
    registry = normaliseRegistry(first);
    repository = rest.slice(slash + 1);
  } else {
    registry = normaliseRegistry(opts.defaultRegistry ?? DOCKER_HUB);
    repository = rest;
  }
  if (repository === '') bad('missing repository name');
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  for (const part of repository.split('/')) {
    if (part === '') bad('empty path component in repository');
    if (part.toLowerCase() !== part) bad('repository name must be lowercase');
    if (!COMPONENT.test(part)) bad(`invalid repository path component "${part}"`);
  }
  if (registry.length + 1 + repository.length > 255) bad('name longer than 255 characters');
  return makeReference(registry, repository, tag, digest);
}

/** The same repository with another tag or digest. */
export function withIdentifier(ref: Reference, id: { tag?: string; digest?: string }): Reference {
  return makeReference(ref.registry, ref.repository, id.tag, id.digest);
}
