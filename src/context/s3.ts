// s3://BUCKET/KEY with the AWS SDK: credentials and region from the SDK's usual sources (AWS_*
// variables, shared config files, instance roles), kaniko's S3_ENDPOINT and S3_FORCE_PATH_STYLE
// for S3-compatible servers. The object streams straight into the extractor.
import type { Readable } from 'node:stream';
import { ContextError } from '../build/errors.ts';
import type { FetchOptions } from './https.ts';
import { extractContextArchive } from './tarball.ts';

interface AwsError extends Error {
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function reason(e: AwsError, bucket: string, key: string): string {
  const code = e.Code ?? e.name;
  const status = e.$metadata?.httpStatusCode;
  if (code === 'NoSuchBucket') return `bucket ${bucket} does not exist`;
  if (code === 'NoSuchKey' || status === 404) return `object ${key} not found in bucket ${bucket}`;
  if (status === 401 || status === 403) return `access denied (HTTP ${status} ${code})`;
  if (e.name === 'CredentialsProviderError')
    return 'no AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a role)';
  return `${code}${status ? ` (HTTP ${status})` : ''}: ${e.message.split('\n')[0]}`;
}

export async function fetchS3(bucket: string, key: string, opts: FetchOptions): Promise<void> {
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const endpoint = opts.env.S3_ENDPOINT || undefined;
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } = opts.env;
  const client = new S3Client({
    region: opts.env.AWS_REGION || opts.env.AWS_DEFAULT_REGION || 'us-east-1',
    // Keys in the environment given win; otherwise the SDK's chain (profiles, SSO, roles).
    ...(id && secret
      ? {
          credentials: {
            accessKeyId: id,
            secretAccessKey: secret,
            ...(token ? { sessionToken: token } : {}),
          },
        }
      : {}),
    ...(endpoint ? { endpoint, forcePathStyle: opts.env.S3_FORCE_PATH_STYLE?.toLowerCase() === 'true' } : {}),
  });
  try {
    const res = await client
      .send(
        new GetObjectCommand({ Bucket: bucket, Key: key }),
        opts.signal ? { abortSignal: opts.signal } : {},
      )
      .catch((e: AwsError) => {
        if (opts.signal?.aborted) throw opts.signal.reason;
        throw new ContextError(`context ${opts.where}: ${reason(e, bucket, key)}`);
      });
    if (!res.Body) throw new ContextError(`context ${opts.where}: empty response`);
    await extractContextArchive(res.Body as Readable, {
      dir: opts.dir,
      where: opts.where,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } finally {
    client.destroy();
  }
}
