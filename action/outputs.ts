// The action's outputs and job summary from what the executor wrote (--digest-file,
// --image-name-tag-with-digest-file and --metadata-file), in docker/build-push-action's shapes. Pure.
import type { BuildStep } from './progress.ts';

export interface ExecutorResult {
  /** Contents of --digest-file: the manifest digest. */
  digest: string;
  /** Lines of --image-name-tag-with-digest-file (name:tag@digest), when there were tags. */
  imageRefs: string[];
  /** The tags input, as mapped. */
  tags: string[];
  pushed: boolean;
  /** The image config's digest, when the executor reports it (BPA's imageid). */
  configDigest?: string;
  /** Compressed bytes of the config and layers (--metadata-file's kaniko-ts.image.size). */
  size?: number;
  /** The executor's --metadata-file JSON (buildx's keys), the base of the `metadata` output. */
  metadata?: Record<string, unknown>;
  /** The build's steps, from the executor's progress (see progress.ts). */
  steps?: BuildStep[];
}

export interface ActionOutputs {
  imageid: string;
  digest: string;
  /** JSON: the executor's --metadata-file (buildx's keys: containerimage.digest,
   * containerimage.config.digest, containerimage.descriptor, image.name) plus kaniko-ts.image.size. */
  metadata: string;
  /** One reference per line. */
  tags: string;
}

export class OutputsError extends Error {
  override name = 'OutputsError';
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ExecutorFiles {
  digest: string;
  imageRefs: string[];
  configDigest?: string;
  size?: number;
  metadata?: Record<string, unknown>;
}

/** --metadata-file's JSON, checked against the digest file: config digest, size and all keys. */
function readMetadata(
  text: string,
  digest: string,
): Pick<ExecutorFiles, 'configDigest' | 'size' | 'metadata'> {
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    throw new OutputsError('metadata file is not valid JSON');
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw new OutputsError('metadata file holds no JSON object');
  const m = metadata as Record<string, unknown>;
  if (m['containerimage.digest'] !== digest)
    throw new OutputsError('metadata file names another image than the digest file');
  const config = m['containerimage.config.digest'];
  if (typeof config !== 'string' || !DIGEST.test(config))
    throw new OutputsError('metadata file holds no sha256 config digest');
  const size = m['kaniko-ts.image.size'];
  return { configDigest: config, ...(typeof size === 'number' ? { size } : {}), metadata: m };
}

/** Parses the files' contents; a digest that is not one means the executor did not finish. */
export function readExecutorFiles(
  digestFile: string,
  imageRefsFile: string | undefined,
  metadataFile?: string,
): ExecutorFiles {
  const digest = digestFile.trim();
  if (!DIGEST.test(digest)) throw new OutputsError(`digest file holds no sha256 digest`);
  const imageRefs = (imageRefsFile ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return { digest, imageRefs, ...(metadataFile !== undefined ? readMetadata(metadataFile, digest) : {}) };
}

export function actionOutputs(r: ExecutorResult): ActionOutputs {
  // buildx's metadata file is BPA's metadata output; image.name keeps the tags as written.
  const metadata: Record<string, unknown> = { ...r.metadata, 'containerimage.digest': r.digest };
  if (r.configDigest) metadata['containerimage.config.digest'] = r.configDigest;
  if (r.tags.length > 0) metadata['image.name'] = r.tags.join(',');
  return {
    imageid: r.configDigest ?? '',
    digest: r.digest,
    metadata: JSON.stringify(metadata, null, 2),
    tags: r.tags.join('\n'),
  };
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const STATUS: Record<BuildStep['status'], string> = {
  done: 'done',
  cached: 'cached',
  error: 'failed',
  unfinished: 'not finished',
};

/** The steps as a Markdown table: each with its status and time. */
function stepsTable(steps: readonly BuildStep[]): string[] {
  if (steps.length === 0) return [];
  const cached = steps.filter((s) => s.status === 'cached').length;
  const lines = [
    '',
    `**Steps** (${cached} of ${steps.length} cached):`,
    '',
    '| # | step | | time |',
    '| ---: | --- | --- | ---: |',
  ];
  for (const s of steps)
    lines.push(
      `| ${s.n} | \`${cell(s.title).replace(/`/g, "'")}\` | ${STATUS[s.status]} | ${s.seconds !== undefined ? `${s.seconds.toFixed(1)}s` : ''} |`,
    );
  return lines;
}

/** Markdown for $GITHUB_STEP_SUMMARY when the build failed: how far it got. */
export function failureSummary(message: string, steps: readonly BuildStep[]): string {
  return `${['### kaniko-ts: failed', '', cell(message), ...stepsTable(steps)].join('\n')}\n`;
}

/** Bytes as docker prints image sizes (powers of 1000), with the exact count. */
export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const short =
    u === 0 ? `${bytes} B` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
  return u === 0 ? short : `${short} (${bytes} bytes)`;
}

/** Markdown for $GITHUB_STEP_SUMMARY: what was built and where it went. */
export function jobSummary(r: ExecutorResult): string {
  const lines = ['### kaniko-ts', '', '| | |', '| --- | --- |', `| digest | \`${cell(r.digest)}\` |`];
  if (r.configDigest) lines.push(`| image ID | \`${cell(r.configDigest)}\` |`);
  if (r.size !== undefined) lines.push(`| size | ${formatSize(r.size)} |`);
  lines.push(`| pushed | ${r.pushed ? 'yes' : 'no'} |`);
  if (r.tags.length > 0) {
    lines.push('', r.pushed ? '**Pushed:**' : '**Tags (not pushed):**', '');
    const refs = r.imageRefs.length > 0 ? r.imageRefs : r.tags;
    for (const ref of refs) lines.push(`- \`${cell(ref)}\``);
  }
  lines.push(...stepsTable(r.steps ?? []));
  return `${lines.join('\n')}\n`;
}
