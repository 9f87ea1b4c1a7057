// The CI platform the executor finds itself on, from its environment: GitLab CI (GITLAB_CI=true)
// and Cloud Build / GCE (Google registries, $BUILDER_OUTPUT). Each adds defaults to the command
// line, credentials after or before the user's config.json, and reports after a push. The
// platform rules themselves live with their adapters (gitlab/, cloudbuild/); this only wires them.
import { type BuiltImage, writeBuilderOutput } from '../../cloudbuild/builder-output.ts';
import { isGoogleRegistry, MetadataAuthError, MetadataTokenSource } from '../../cloudbuild/metadata-auth.ts';
import { gitlabDefaults, isGitLabCi } from '../../gitlab/env.ts';
import type { Credential, Keychain } from '../registry/auth/keychain.ts';
import { normaliseRegistry } from '../registry/reference.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface Platform {
  /** The command line with the platform's defaults for what the user left out. */
  argv: string[];
  /** One-line notes for the log; never a secret. */
  notes: string[];
  /** Secrets to mask in the log. */
  secrets: string[];
  /** The keychain the build uses, given the one from config.json. */
  keychain(fromConfig: Keychain): Keychain;
  /** After a push: the platform's own report of what was pushed. */
  report(images: readonly BuiltImage[]): Promise<void>;
}

const has = (argv: readonly string[], ...names: string[]) =>
  argv.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));

/** `{"auths":{host:{auth}}}` → a keychain over those hosts. */
function authsKeychain(json: string): { keychain: Keychain; secrets: string[] } {
  const auths = (JSON.parse(json) as { auths: Record<string, { auth: string }> }).auths;
  const byHost = new Map<string, Credential>();
  const secrets: string[] = [];
  for (const [host, { auth }] of Object.entries(auths)) {
    const plain = Buffer.from(auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    const password = plain.slice(colon + 1);
    byHost.set(normaliseRegistry(host), { kind: 'basic', username: plain.slice(0, colon), password });
    secrets.push(password, auth);
  }
  return { keychain: { resolve: async (registry) => byHost.get(normaliseRegistry(registry)) }, secrets };
}

/** Google's registries get a token from the metadata server first; without one, config.json. */
function googleKeychain(fromConfig: Keychain, source: MetadataTokenSource, log: PlatformLog): Keychain {
  let told = false;
  return {
    async resolve(registry) {
      if (isGoogleRegistry(registry)) {
        try {
          const cred = await source.credentialFor(registry);
          if (cred) {
            log.mask(cred.password);
            return { kind: 'basic', username: cred.username, password: cred.password };
          }
        } catch (e) {
          if (!(e instanceof MetadataAuthError)) throw e;
          if (!told) log.note(`${e.message}; using config.json for ${registry}`);
          told = true;
        }
      }
      return fromConfig.resolve(registry);
    },
  };
}

export interface PlatformLog {
  mask(secret: string): void;
  note(line: string): void;
}

export function detectPlatform(argv: readonly string[], env: Env, log: PlatformLog): Platform {
  const out = [...argv];
  const notes: string[] = [];
  const secrets: string[] = [];
  let extra: Keychain | undefined;
  if (isGitLabCi(env)) {
    const d = gitlabDefaults(env);
    notes.push(...d.notes);
    if (!has(out, '--destination', '-d') && !has(out, '--no-push')) {
      for (const dest of d.destinations) out.push('--destination', dest);
      if (d.destinations.length > 0) notes.push(`GitLab CI: pushing to ${d.destinations.join(', ')}`);
    }
    if (!has(out, '--context', '-c') && d.context) out.push('--context', d.context);
    if (d.dockerConfigJson) {
      const k = authsKeychain(d.dockerConfigJson);
      extra = k.keychain;
      secrets.push(...k.secrets);
    }
  }
  // Off Google Cloud the metadata name may never resolve: the first token request (the push
  // permission check, at the start) waits 5 s at most, then config.json is used.
  const metadata = new MetadataTokenSource({ env, timeoutMs: 5000 });
  return {
    argv: out,
    notes,
    secrets,
    keychain(fromConfig) {
      // The user's config.json wins over GitLab's job credentials; Google's token wins for Google hosts.
      const withPlatform: Keychain = extra
        ? {
            resolve: async (r) => (await fromConfig.resolve(r)) ?? (await extra.resolve(r)),
          }
        : fromConfig;
      return googleKeychain(withPlatform, metadata, log);
    },
    async report(images) {
      await writeBuilderOutput(images, env);
    },
  };
}
