/** Test helper: a Dockerfile read as a builder reads it, and the runtime stage's file set, environment and command. */
/** One instruction: its keyword (upper case) and the rest of the line. */
export interface Instruction {
  op: string;
  args: string;
}
/** One build stage: its base image (build args resolved), its name and its instructions. */
export interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, backslash continuations joined). */
export function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (current === "" && (line === "" || line.startsWith("#"))) continue;
    if (current !== "" && line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = "";
  }
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const l of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(l);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (op === "FROM") {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)!;
      stages.push({ from: f[1]!.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? ""), name: f[2], steps: [] });
    } else if (stages.length === 0 && op === "ARG") {
      const [k, v] = rest.split("=");
      args.set(k!, v ?? "");
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.steps.push({ op, args: rest });
    }
  }
  return { args, stages };
}

/** A file set the runtime stage copies from an earlier stage: the path in that stage and where it lands. */
export interface StageCopy {
  fromStage: string;
  source: string;
  destination: string;
}

/** What the final image is: the files it copies in, its ENV, WORKDIR, USER (numeric) and ENTRYPOINT. */
export interface RuntimeImage {
  copies: StageCopy[];
  env: Record<string, string>;
  workdir: string;
  user: { uid: number; gid: number };
  entrypoint: string[];
}

/** Parses `ENV k=v [k2=v2 …]` (double quotes allowed) and the legacy `ENV k v`. */
function envPairs(args: string): Array<[string, string]> {
  if (!/^\S+=/.test(args)) {
    const [k, ...v] = args.split(/\s+/);
    return [[k!, v.join(" ")]];
  }
  return [...args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)].map((m) => [m[1]!, m[3] ?? m[2]!]);
}

/**
 * The last stage of a parsed Dockerfile as an image: only `COPY --from=<stage>` is accepted (a COPY from the build
 * context or a RUN would add files this reading does not reproduce, so they throw), USER must be numeric.
 */
export function runtimeImage(stages: Stage[]): RuntimeImage {
  const last = stages[stages.length - 1]!;
  const image: RuntimeImage = { copies: [], env: {}, workdir: "/", user: { uid: 0, gid: 0 }, entrypoint: [] };
  for (const step of last.steps) {
    if (step.op === "COPY") {
      const from = /--from=(\S+)/.exec(step.args)?.[1];
      if (!from) throw new Error(`runtime stage copies from the build context: COPY ${step.args}`);
      const paths = step.args.split(/\s+/).filter((a) => !a.startsWith("--"));
      const destination = paths.pop()!;
      for (const source of paths) image.copies.push({ fromStage: from, source, destination });
    } else if (step.op === "ENV") {
      for (const [k, v] of envPairs(step.args)) image.env[k] = v;
    } else if (step.op === "WORKDIR") {
      image.workdir = step.args;
    } else if (step.op === "USER") {
      const m = /^(\d+)(?::(\d+))?$/.exec(step.args);
      if (!m) throw new Error(`USER ${step.args} is not numeric`);
      image.user = { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) };
    } else if (step.op === "ENTRYPOINT") {
      image.entrypoint = JSON.parse(step.args) as string[];
    } else if (step.op === "RUN") {
      throw new Error(`runtime stage runs a command: RUN ${step.args}`);
    }
  }
  return image;
}

/** The WORKDIR of stage `name` (where its relative paths, and the build's outputs, live). */
export function stageWorkdir(stages: Stage[], name: string): string {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage.steps.filter((s) => s.op === "WORKDIR").at(-1)?.args ?? "/";
}
