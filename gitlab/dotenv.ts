// GitLab's dotenv report (artifacts:reports:dotenv): IMAGE_DIGEST, IMAGE_REF and IMAGE_TAGS for
// later jobs. GitLab reads KEY=VALUE lines and takes values verbatim, so none may span lines.
import { writeFile } from 'node:fs/promises';

export interface PushedImage {
  /** sha256:… of the pushed manifest (or index). */
  digest: string;
  /** Every reference pushed, as given (registry/repository:tag). */
  destinations: string[];
}

export class DotenvError extends Error {
  override name = 'DotenvError';
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** registry[:port]/path[:tag][@digest] → registry[:port]/path: a tag is a ':' after the last '/'. */
export function repositoryOf(reference: string): string {
  const at = reference.indexOf('@');
  const name = at < 0 ? reference : reference.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(0, colon) : name;
}

/** The report's text: IMAGE_REF pins the first destination by digest; IMAGE_TAGS lists all, comma-separated. */
export function gitlabDotenv(image: PushedImage): string {
  if (!DIGEST.test(image.digest)) throw new DotenvError(`dotenv: "${image.digest}" is not a digest`);
  for (const d of image.destinations)
    if (/[\r\n,]/.test(d) || d === '') throw new DotenvError(`dotenv: invalid destination "${d}"`);
  const first = image.destinations[0];
  const lines = [
    `IMAGE_DIGEST=${image.digest}`,
    `IMAGE_REF=${first === undefined ? '' : `${repositoryOf(first)}@${image.digest}`}`,
    `IMAGE_TAGS=${image.destinations.join(',')}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function writeGitlabDotenv(path: string, image: PushedImage): Promise<void> {
  await writeFile(path, gitlabDotenv(image), { mode: 0o644 });
}
