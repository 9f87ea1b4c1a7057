// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${...} on purpose
// Dockerfile frontend speed: parses a generated 10,000-line Dockerfile that mixes every instruction,
// flags, continuations, comments, heredocs and ${...} expansions, many times, and prints the median.
//
//   node_modules/.bin/node bench/dockerfile-parse.ts [--lines 10000] [--runs 30]
//
// Three numbers: text -> AST (parseDockerfile), AST -> typed commands (toInstructions), and the
// whole frontend pass an executor makes (parse + instructions + planBuild + expandCommand of every
// command). Target: parse well under 100 ms for 10,000 lines.
import { parseArgs } from 'node:util';
import {
  expandCommand,
  lookupIn,
  parseDockerfile,
  planBuild,
  toInstructions,
} from '../src/dockerfile/index.ts';

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '10000' }, runs: { type: 'string', default: '30' } },
});
const targetLines = Number(values.lines);
const runs = Number(values.runs);

/** Blocks of Dockerfile text; each stage uses every instruction once. */
function stage(i: number): string {
  return `# stage ${i}: builds part ${i}
FROM --platform=$BUILDPLATFORM \${BASE_IMAGE:-golang}:\${GO_VERSION} AS build${i}
ARG TARGETOS TARGETARCH VERSION=\${GIT_TAG:-dev}
ENV CGO_ENABLED=0 \\
    GOOS=$TARGETOS \\
    GOARCH=\${TARGETARCH} \\
    PATH=/usr/local/go/bin:$PATH
LABEL org.opencontainers.image.title="part ${i}" \\
      org.opencontainers.image.version=$VERSION
WORKDIR /src/\${PROJECT%%/*}/part${i}
COPY --link --chown=1000:1000 --chmod=644 go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod,id=gomod-${i} \\
    --mount=type=bind,source=.,target=/src,rw \\
    # download modules first
    go mod download && \\
    go build -ldflags "-X main.version=\${VERSION}" -o /out/part${i} ./cmd/part${i}
RUN <<EOF
set -e
echo "building part ${i}" > /out/part${i}.txt
ls -la /out
EOF
COPY <<-"CONF" /etc/part${i}.conf
\tkey=value
\tother=\${NOT_EXPANDED}
\tCONF
ADD --checksum=sha256:0123456789abcdef https://example.com/assets/part${i}.tar.gz /assets/
EXPOSE 80\${PORT_SUFFIX} 443/udp 9000-9002
VOLUME ["/data/part${i}", "/logs"]
USER \${APP_UID:-1000}:\${APP_GID:-1000}
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["/out/part${i}", "health"]
STOPSIGNAL SIGTERM
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ONBUILD COPY . /app/src
MAINTAINER builders@example.com
ENTRYPOINT ["/out/part${i}"]
CMD echo "part ${i}" --help

FROM scratch AS final${i}
COPY --from=build${i} /out/part${i} /bin/part${i}
CMD ["/bin/part${i}"]
`;
}

function generate(lines: number): string {
  const parts = ['# syntax=docker/dockerfile:1\nARG BASE_IMAGE=golang\nARG GO_VERSION=1.22\n'];
  let count = 3;
  for (let i = 0; count < lines; i++) {
    const s = stage(i);
    parts.push(s);
    count += s.split('\n').length - 1;
  }
  return parts.join('').split('\n').slice(0, lines).join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// Cut at a stage boundary so the text stays a valid Dockerfile (no heredoc split in half).
let text = generate(targetLines);
const lastStage = text.lastIndexOf('\n# stage ');
if (parseSafe(text) === false) text = text.slice(0, lastStage + 1);
function parseSafe(t: string): boolean {
  try {
    toInstructions(parseDockerfile(t));
    return true;
  } catch {
    return false;
  }
}
const lineCount = text.split('\n').length - 1;
const df = parseDockerfile(text, 'Dockerfile');
const kinds = new Set(toInstructions(df).stages.flatMap((s) => s.commands.map((c) => c.kind)));
const env = lookupIn({ PROJECT: 'example.com/app', NOT_EXPANDED: 'x', PATH: '/usr/bin' });
const platform = { os: 'linux', architecture: 'amd64' };

function whole(): void {
  const ins = toInstructions(parseDockerfile(text, 'Dockerfile'));
  const plan = planBuild(ins, { buildArgs: { GIT_TAG: 'v1' }, platform, buildPlatform: platform });
  for (const s of plan.allStages) for (const c of s.commands) expandCommand(c, env);
}

// Each measurement in its own loop after its own warm-up, so one's garbage is not billed to another.
// Wall time is what the target is about; CPU time (user+sys of this process) is printed too because
// it stays honest when other processes share the machine's two cores.
function measure(fn: () => void): { wall: number; cpu: number } {
  for (let i = 0; i < 10; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    wall.push(time(fn));
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}
const show = (m: { wall: number; cpu: number }) =>
  `median ${m.wall.toFixed(2)} ms wall, ${m.cpu.toFixed(2)} ms cpu`;
const parseMs = measure(() => parseDockerfile(text, 'Dockerfile'));
const insMs = measure(() => toInstructions(df));
const wholeMs = measure(whole);

console.log(
  `Dockerfile: ${lineCount} lines, ${df.nodes.length} instructions, ${kinds.size + 1} instruction kinds, ${runs} runs`,
);
console.log(`parseDockerfile           ${show(parseMs)}`);
console.log(`toInstructions            ${show(insMs)}`);
console.log(`parse+plan+expand (all)   ${show(wholeMs)}`);
