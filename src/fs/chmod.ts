// --chmod values: octal (`755`, `0644`) or symbolic (`u+x,g-w,o=r`, `a+X`), as BuildKit accepts.
import { CopyError } from './errors.ts';

export type ModeChange = (mode: number, isDir: boolean) => number;

export function parseChmod(spec: string): ModeChange {
  if (/^[0-7]{1,4}$/.test(spec)) {
    const m = Number.parseInt(spec, 8);
    return () => m;
  }
  const clauses = spec.split(',').map((clause) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) throw new CopyError(`invalid --chmod ${JSON.stringify(spec)}`);
    return { who: m[1] || 'a', op: m[2]!, perms: m[3]! };
  });
  return (mode, isDir) => {
    let out = mode & 0o7777;
    for (const { who, op, perms } of clauses) {
      let mask = 0;
      if (/[ua]/.test(who)) mask |= 0o4700;
      if (/[ga]/.test(who)) mask |= 0o2070;
      if (/[oa]/.test(who)) mask |= 0o1007;
      let bits = 0;
      const execAny = isDir || (mode & 0o111) !== 0;
      for (const p of perms) {
        if (p === 'r') bits |= 0o444;
        else if (p === 'w') bits |= 0o222;
        else if (p === 'x' || (p === 'X' && execAny)) bits |= 0o111;
        else if (p === 's') bits |= 0o6000;
        else if (p === 't') bits |= 0o1000;
      }
      bits &= mask;
      if (op === '+') out |= bits;
      else if (op === '-') out &= ~bits;
      else out = (out & ~(mask & 0o7777)) | bits;
    }
    return out;
  };
}
