// GitLab CI's predefined variables → what the executor would otherwise need from the user:
// default destinations, registry credentials (as a docker config.json) and the context.
// Pure: the CLI calls it when GITLAB_CI=true and merges the result under the user's own flags.

export type Env = Readonly<Record<string, string | undefined>>;

export interface GitLabDefaults {
  /** $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG, plus :$CI_COMMIT_TAG on tag pipelines. */
  destinations: string[];
  /** A docker config.json (`{"auths":{…}}`) for the project registry and the dependency proxy. Secret. */
  dockerConfigJson?: string;
  /** $CI_PROJECT_DIR, where the runner checked out the repository. */
  context?: string;
  /** One-line notes for the log (never containing a secret): what was left out and why. */
  notes: string[];
}

/** GitLab sets GITLAB_CI=true in every job. */
export function isGitLabCi(env: Env): boolean {
  return env.GITLAB_CI === 'true';
}

// A tag as the distribution spec allows it; GitLab's CI_COMMIT_TAG is a git tag and may not be one.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

function set(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function basicAuth(user: string, password: string): { auth: string } {
  return { auth: Buffer.from(`${user}:${password}`, 'utf8').toString('base64') };
}

export function gitlabDefaults(env: Env): GitLabDefaults {
  const notes: string[] = [];
  const destinations: string[] = [];
  const image = set(env, 'CI_REGISTRY_IMAGE');
  if (image) {
    const slug = set(env, 'CI_COMMIT_REF_SLUG');
    if (slug) destinations.push(`${image}:${slug}`);
    const tag = set(env, 'CI_COMMIT_TAG');
    if (tag && tag !== slug) {
      if (TAG.test(tag)) destinations.push(`${image}:${tag}`);
      else notes.push(`CI_COMMIT_TAG "${tag}" is not a valid image tag; pushing only :${slug ?? '(none)'}`);
    }
  }

  const auths: Record<string, { auth: string }> = {};
  const registry = set(env, 'CI_REGISTRY');
  if (registry) {
    const user = set(env, 'CI_REGISTRY_USER');
    const password = set(env, 'CI_REGISTRY_PASSWORD');
    const jobToken = set(env, 'CI_JOB_TOKEN');
    if (user && password) auths[registry] = basicAuth(user, password);
    else if (jobToken) auths[registry] = basicAuth('gitlab-ci-token', jobToken);
    else
      notes.push(
        `no CI_REGISTRY_PASSWORD or CI_JOB_TOKEN: pushing to ${registry} without GitLab credentials`,
      );
  }
  const proxy = set(env, 'CI_DEPENDENCY_PROXY_SERVER');
  const proxyUser = set(env, 'CI_DEPENDENCY_PROXY_USER');
  const proxyPassword = set(env, 'CI_DEPENDENCY_PROXY_PASSWORD');
  if (proxy && proxyUser && proxyPassword) {
    auths[proxy] = basicAuth(proxyUser, proxyPassword);
    // GitLab names the proxy with :443 in CI_DEPENDENCY_PROXY_SERVER but images may use the bare
    // host (CI_DEPENDENCY_PROXY_DIRECT_GROUP_IMAGE_PREFIX); credentials are looked up by host.
    if (proxy.endsWith(':443')) auths[proxy.slice(0, -4)] ??= basicAuth(proxyUser, proxyPassword);
  }

  const context = set(env, 'CI_PROJECT_DIR');
  return {
    destinations,
    ...(Object.keys(auths).length > 0 ? { dockerConfigJson: JSON.stringify({ auths }) } : {}),
    ...(context ? { context } : {}),
    notes,
  };
}
