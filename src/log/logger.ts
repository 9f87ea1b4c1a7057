// Build output in the style of BuildKit's plain progress (`#3 [2/5] RUN …`, `#3 DONE 0.4s`,
// `#3 CACHED`), with kaniko's verbosity, log-format and log-timestamp flags.
import type { Writable } from 'node:stream';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export interface LoggerOptions {
  level?: Level;
  format?: 'text' | 'color' | 'json';
  timestamps?: boolean;
  out?: Writable;
}

export class Logger {
  readonly level: Level;
  private readonly format: 'text' | 'color' | 'json';
  private readonly timestamps: boolean;
  private readonly out: Writable;
  private nextStep = 1;
  /** Strings that must never be printed (secrets); replaced by *** wherever they appear. */
  private readonly masks = new Set<string>();

  constructor(opts: LoggerOptions = {}) {
    this.level = opts.level ?? 'info';
    this.format = opts.format ?? 'text';
    this.timestamps = opts.timestamps ?? false;
    this.out = opts.out ?? process.stderr;
  }

  /** Output goes to a terminal: byte progress is shown (log/progress.ts). */
  get interactive(): boolean {
    return this.format !== 'json' && (this.out as { isTTY?: boolean }).isTTY === true;
  }

  mask(secret: string): void {
    if (secret.length >= 3) this.masks.add(secret);
  }

  enabled(level: Level): boolean {
    return ORDER[level] >= ORDER[this.level];
  }

  private redact(s: string): string {
    let r = s;
    for (const m of this.masks) r = r.split(m).join('***');
    return r;
  }

  private write(level: Level, msg: string): void {
    if (!this.enabled(level)) return;
    const text = this.redact(msg);
    if (this.format === 'json') {
      this.out.write(`${JSON.stringify({ level, msg: text, time: new Date().toISOString() })}\n`);
      return;
    }
    const ts = this.timestamps ? `${new Date().toISOString()} ` : '';
    const tag = level === 'info' ? '' : `${level.toUpperCase()}: `;
    this.out.write(`${ts}${tag}${text}\n`);
  }

  trace(msg: string): void {
    this.write('trace', msg);
  }
  debug(msg: string): void {
    this.write('debug', msg);
  }
  info(msg: string): void {
    this.write('info', msg);
  }
  warn(msg: string): void {
    this.write('warn', msg);
  }
  error(msg: string): void {
    this.write('error', msg);
  }

  /** Starts a numbered step, BuildKit style; returns handles to finish it. */
  step(title: string): Step {
    const n = this.nextStep++;
    const started = performance.now();
    this.info(`#${n} ${title}`);
    const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
    return {
      n,
      log: (line: string) => this.info(`#${n} ${line}`),
      done: () => this.info(`#${n} DONE ${elapsed()}s`),
      cached: () => this.info(`#${n} CACHED`),
      fail: (why: string) => this.info(`#${n} ERROR: ${why}`),
    };
  }
}

export interface Step {
  n: number;
  log(line: string): void;
  done(): void;
  cached(): void;
  fail(why: string): void;
}
