// Expands a command's words with the environment it runs in, exactly where BuildKit does: ENV, LABEL,
// WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE (field-split), ARG defaults, COPY/ADD sources, dest,
// --chown, --chmod, --checksum, --exclude and unquoted heredoc bodies, RUN --mount values. RUN, CMD,
// ENTRYPOINT, SHELL, HEALTHCHECK and ONBUILD are left alone (the shell or a later build expands them).
import { DockerfileError, ExpansionError } from './errors.ts';
import { expandWord, expandWords, type LexOptions, type Lookup } from './expansion.ts';
import type { AddCommand, Command, CopyCommand, KeyValue } from './instructions.ts';
import { MountError, parseMount } from './mounts.ts';
import { PortError, parsePortSpecs } from './ports.ts';

export interface ExpandOptions {
  /** File name for errors (default "Dockerfile"). */
  file?: string;
  /** The Dockerfile's escape character (ParsedDockerfile.escapeToken). */
  escapeToken?: string;
}

/**
 * A value that expanded to something the instruction cannot take (a bad --chmod, an empty VOLUME).
 * expandCommand gives it the command's line; any other error thrown there is a bug and surfaces as is.
 */
export class CommandValueError extends Error {}

/** Validates a --chmod value: octal up to 07777 or a symbolic mode (`u+x,g-w`). */
export function validateChmod(value: string): void {
  if (/^[0-9]+$/.test(value)) {
    if (!/^[0-7]+$/.test(value) || Number.parseInt(value, 8) > 0o7777)
      throw new CommandValueError(
        `invalid chmod parameter: '${value}'. it should be octal string and between 0 and 07777`,
      );
    return;
  }
  const clause = '[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+';
  if (!new RegExp(`^${clause}(?:,${clause})*$`).test(value))
    throw new CommandValueError(`invalid chmod parameter: '${value}'`);
}

/**
 * Returns a copy of `cmd` with every field BuildKit expands expanded against `lookup`.
 * COPY --from and RUN --mount from= are kept: planBuild resolves them with the global ARGs.
 * For ARG only the defaults are expanded (the executor uses them when no --build-arg overrides).
 */
export function expandCommand<C extends Command>(cmd: C, lookup: Lookup, opts: ExpandOptions = {}): C {
  const file = opts.file ?? 'Dockerfile';
  const lex: LexOptions = { escapeToken: opts.escapeToken ?? '\\' };
  const word = (w: string) => expandWord(w, lookup, lex);
  try {
    return expandInner(cmd, word, lookup, lex);
  } catch (e) {
    if (
      e instanceof ExpansionError ||
      e instanceof MountError ||
      e instanceof PortError ||
      e instanceof CommandValueError
    )
      throw new DockerfileError(file, cmd.line, e.message);
    throw e;
  }
}

function kvs(list: KeyValue[], word: (w: string) => string): KeyValue[] {
  return list.map((kv) => ({ key: word(kv.key), value: word(kv.value), noDelim: kv.noDelim }));
}

function expandCopyLike<C extends CopyCommand | AddCommand>(
  cmd: C,
  word: (w: string) => string,
  lookup: Lookup,
  lex: LexOptions,
): C {
  const out: C = {
    ...cmd,
    sources: cmd.sources.map(word),
    dest: word(cmd.dest),
    exclude: cmd.exclude.map(word),
    sourceContents: cmd.sourceContents.map((f) =>
      f.expand
        ? { ...f, data: expandWord(f.data, lookup, { ...lex, escapeToken: '\\', skipProcessQuotes: true }) }
        : f,
    ),
  };
  if (cmd.chown !== undefined) out.chown = word(cmd.chown);
  if (cmd.chmod !== undefined) {
    out.chmod = word(cmd.chmod);
    validateChmod(out.chmod);
  }
  if (out.kind === 'ADD' && cmd.kind === 'ADD' && cmd.checksum !== undefined)
    out.checksum = word(cmd.checksum);
  return out;
}

function expandInner<C extends Command>(
  cmd: C,
  word: (w: string) => string,
  lookup: Lookup,
  lex: LexOptions,
): C {
  // Each branch builds a value of the same kind; the casts restate what the switch narrowed.
  const c: Command = cmd;
  switch (c.kind) {
    case 'FROM': {
      const out = { ...c, image: word(c.image) };
      if (c.platform !== undefined) out.platform = word(c.platform);
      return out as C;
    }
    case 'ENV':
      return { ...c, env: kvs(c.env, word) } as C;
    case 'LABEL':
      return { ...c, labels: kvs(c.labels, word) } as C;
    case 'WORKDIR':
      return { ...c, path: word(c.path) } as C;
    case 'USER':
      return { ...c, user: word(c.user) } as C;
    case 'STOPSIGNAL':
      return { ...c, signal: word(c.signal) } as C;
    case 'VOLUME': {
      const volumes = c.volumes.map(word);
      if (volumes.some((v) => v === ''))
        throw new CommandValueError('VOLUME specified can not be an empty string');
      return { ...c, volumes } as C;
    }
    case 'EXPOSE': {
      const ports = c.ports.flatMap((p) => expandWords(p, lookup, lex));
      parsePortSpecs(ports);
      return { ...c, ports } as C;
    }
    case 'ARG':
      return {
        ...c,
        args: c.args.map((a) => (a.value === undefined ? { ...a } : { key: a.key, value: word(a.value) })),
      } as C;
    case 'COPY':
    case 'ADD':
      return expandCopyLike(c, word, lookup, lex) as C;
    case 'RUN': {
      const mounts = c.mountSpecs.map((spec, i) => {
        const m = parseMount(spec, word);
        const before = c.mounts[i];
        if (before?.from !== undefined) m.from = before.from;
        else delete m.from;
        return m;
      });
      return { ...c, mounts } as C;
    }
    default:
      return { ...c } as C;
  }
}
