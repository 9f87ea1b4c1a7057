// EXPOSE port specs (`80`, `80/udp`, `8000-8010/tcp`) -> BuildKit's normalised `port/proto` list.
export class PortError extends Error {}

function parsePort(s: string): number {
  if (!/^[0-9]+$/.test(s) || Number(s) > 65535) throw new PortError(`invalid containerPort: ${s}`);
  return Number(s);
}

function parseRange(s: string, what: string): [number, number] {
  if (s === '') throw new PortError(`invalid ${what}: ${s}`);
  const parts = s.split('-');
  try {
    if (parts.length === 1) {
      const p = parsePort(s);
      return [p, p];
    }
    if (parts.length !== 2) throw new PortError(`invalid ${what}: ${s}`);
    const a = parsePort(parts[0]!);
    const b = parsePort(parts[1]!);
    if (b < a) throw new PortError(`invalid ${what}: ${s}`);
    return [a, b];
  } catch {
    throw new PortError(`invalid ${what}: ${s}`);
  }
}

/** Expands one spec (`[ip:][hostPort:]port[-end][/proto]`) into `port/proto` entries. */
export function parsePortSpec(raw: string): string[] {
  const parts = raw.split(':');
  const container = parts[parts.length - 1]!;
  const hostPort = parts.length >= 2 ? parts[parts.length - 2]! : '';
  const slash = container.indexOf('/');
  const port = slash < 0 ? container : container.slice(0, slash);
  let proto = slash < 0 ? '' : container.slice(slash + 1).toLowerCase();
  if (port === '') throw new PortError(`no port specified: ${raw}<empty>`);
  if (proto === '') proto = 'tcp';
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') throw new PortError(`invalid proto: ${proto}`);
  const [start, end] = parseRange(port, 'containerPort');
  if (hostPort !== '') {
    const [hs, he] = parseRange(hostPort, 'hostPort');
    if (end - start !== he - hs && end !== start)
      throw new PortError(`invalid ranges specified for container and host Ports: ${port} and ${hostPort}`);
  }
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}

/** All specs of an EXPOSE, normalised, in order. */
export function parsePortSpecs(ports: readonly string[]): string[] {
  return ports.flatMap(parsePortSpec);
}
