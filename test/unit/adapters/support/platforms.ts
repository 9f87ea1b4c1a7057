// What Cloud Build and Tekton do to a config before the step sees its arguments: substitutions
// ($PROJECT_ID, ${_IMAGE}, $$ for a literal $) and parameters ($(params.X), array params as
// several arguments). Plus the executor calls inside a `sh -c` script.

/** Values for Cloud Build's built-in substitutions, as a triggered build would have them. */
export const CLOUD_BUILD_BUILTINS: Record<string, string> = {
  PROJECT_ID: 'my-project',
  PROJECT_NUMBER: '123456789012',
  BUILD_ID: '6f1e6b0c-0000-4000-8000-000000000001',
  LOCATION: 'global',
  TRIGGER_NAME: 'push-main',
  COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567',
  REVISION_ID: '0123456789abcdef0123456789abcdef01234567',
  SHORT_SHA: '0123456',
  REPO_NAME: 'app',
  REPO_FULL_NAME: 'example/app',
  BRANCH_NAME: 'main',
  TAG_NAME: '',
  REF_NAME: 'main',
  SERVICE_ACCOUNT_EMAIL: 'builder@my-project.iam.gserviceaccount.com',
};

export class SubstitutionError extends Error {
  override name = 'SubstitutionError';
}

/**
 * Cloud Build's substitution: `$$` is a literal `$`; `$NAME` / `${NAME}` must be a built-in or a
 * declared user substitution (`_NAME`), otherwise the build is refused (MUST_MATCH, the default).
 * Records which user substitutions were used.
 */
export function cloudBuildSubstitute(text: string, user: Record<string, string>, used?: Set<string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, a?: string, b?: string) => {
      if (m === '$$') return '$';
      const name = (a ?? b)!;
      if (name.startsWith('_')) {
        if (!(name in user)) throw new SubstitutionError(`substitution ${name} is not declared`);
        used?.add(name);
        return user[name]!;
      }
      const v = CLOUD_BUILD_BUILTINS[name];
      if (v === undefined)
        throw new SubstitutionError(`$${name} is not a Cloud Build substitution (write $$${name})`);
      return v;
    },
  );
}

/** Words of a shell command line, with '…' and "…" quoting (enough for our scripts). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (inWord) words.push(cur);
  return words;
}

/** The argument lists of every `…/kaniko/executor …` command in a script (split on && ; and lines). */
export function executorCallsInScript(script: string): string[][] {
  const calls: string[][] = [];
  for (const command of script.split(/&&|;|\n/)) {
    const words = shellWords(command.trim());
    if (words[0] !== undefined && /^(\/[^/\s]+)*\/kaniko\/executor$/.test(words[0]))
      calls.push(words.slice(1));
  }
  return calls;
}

/** Tekton's replacements in one argument; an array parameter alone in an argument becomes several. */
export function tektonExpand(
  arg: string,
  params: Record<string, string | string[]>,
  paths: Record<string, string>,
): string[] {
  const whole = /^\$\(params\.([A-Za-z0-9_-]+)\[\*\]\)$/.exec(arg);
  if (whole) {
    const v = params[whole[1]!];
    if (!Array.isArray(v)) throw new Error(`$(params.${whole[1]}[*]) is not an array parameter`);
    return v;
  }
  return [
    arg.replace(/\$\(([^)]+)\)/g, (_m, expr: string) => {
      if (expr.startsWith('params.')) {
        const v = params[expr.slice('params.'.length)];
        if (typeof v !== 'string') throw new Error(`$(${expr}) is not a string parameter`);
        return v;
      }
      const p = paths[expr];
      if (p === undefined) throw new Error(`$(${expr}) is not known`);
      return p;
    }),
  ];
}
