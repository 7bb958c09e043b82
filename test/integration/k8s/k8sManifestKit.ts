import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { runCli } from "../../support/runCli.js";

/** Absolute path of the repository's k8s/ directory. */
export const K8S_DIR = fileURLToPath(new URL("../../../k8s/", import.meta.url));

/** A rendered Kubernetes object (plain JSON, as kubectl kustomize printed it). */
export type K8sObject = Record<string, any>;
/** A container of a pod template, with whether it is an init container. */
export type Container = Record<string, any> & { name: string };

/** Why kubectl kustomize cannot run here, or undefined when it can. */
export function kustomizeUnavailableReason(): string | undefined {
  const r = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
  if (r.error) return `kubectl is not on PATH (${(r.error as NodeJS.ErrnoException).code}); "kubectl kustomize" renders the examples`;
  if (!/Kustomize Version/.test(r.stdout)) return "this kubectl has no built-in kustomize";
  return undefined;
}

/** The example directories under k8s/examples, by name. */
export function exampleNames(): string[] {
  return readdirSync(join(K8S_DIR, "examples"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Renders a kustomization with `kubectl kustomize` (offline) and parses every YAML document. */
export function renderKustomization(dir: string): K8sObject[] {
  const r = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed (${r.status}): ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** One option of a command's --help: its environment names and its default (as printed). */
export interface HelpOption {
  env: string[];
  default?: string;
}

/** The options a built CLI command lists in --help, keyed by flag ("--output-dir"); undefined if not registered. */
export async function cliHelpOptions(command: string): Promise<Map<string, HelpOption> | undefined> {
  const run = await runCli([command, "--help"]);
  if (run.code !== 0 || !run.stdout.startsWith(`Usage: iamra-vault ${command} `)) return undefined;
  const entries: string[] = [];
  for (const line of run.stdout.split("\n")) {
    if (/^ {2}-/.test(line)) entries.push(line.trim());
    else if (/^ {3,}\S/.test(line) && entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
  }
  const options = new Map<string, HelpOption>();
  for (const entry of entries.filter((e) => e.startsWith("-"))) {
    const flag = /^(?:-\w, )?(--[a-z0-9-]+)/.exec(entry)?.[1];
    if (!flag) continue;
    const env = /\[env: ([^\]]+)\]/.exec(entry)?.[1]?.split(/,\s*/) ?? [];
    options.set(flag, { env, default: /\[default: ([^\]]+)\]/.exec(entry)?.[1] });
  }
  return options;
}

/** The pod spec of a workload (Deployment, Job), or undefined for other kinds. */
export function podSpecOf(obj: K8sObject): K8sObject | undefined {
  return obj.kind === "Deployment" || obj.kind === "Job" ? obj.spec?.template?.spec : undefined;
}

/** Every container of a pod spec: init containers first (with init=true), then regular containers. */
export function containersOf(spec: K8sObject): Array<{ c: Container; init: boolean }> {
  return [
    ...((spec.initContainers ?? []) as Container[]).map((c) => ({ c, init: true })),
    ...((spec.containers ?? []) as Container[]).map((c) => ({ c, init: false })),
  ];
}

/** True for containers running the iamra-vault image (any registry and tag). */
export function isIamraVault(c: Container): boolean {
  const repo = String(c.image ?? "").split("@")[0]!;
  const last = repo.split("/").pop()!;
  return last.split(":")[0] === "iamra-vault";
}

/** The value of `--flag=value` or `--flag value` in args, else the --help default, else undefined. */
export function flagValue(args: string[], flag: string, help?: Map<string, HelpOption>): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.startsWith(`${flag}=`)) return args[i]!.slice(flag.length + 1);
    if (args[i] === flag) return args[i + 1];
  }
  return help?.get(flag)?.default;
}

/** Flags (the part before "=") used in a container's args after the command name. */
export function flagsUsed(args: string[]): string[] {
  return args.slice(1).filter((a) => a.startsWith("-")).map((a) => a.split("=")[0]!);
}

/** The plain value of an env var of a container, or undefined. */
export function envValue(c: Container, name: string): string | undefined {
  return ((c.env ?? []) as Array<{ name: string; value?: string }>).find((e) => e.name === name)?.value;
}

/** True when the container declares the env var at all (value or valueFrom). */
export function hasEnv(c: Container, name: string): boolean {
  return ((c.env ?? []) as Array<{ name: string }>).some((e) => e.name === name);
}

/** The volume mount of `c` whose mountPath contains `path` (longest mount path wins). */
export function mountFor(c: Container, path: string): K8sObject | undefined {
  const mounts = ((c.volumeMounts ?? []) as K8sObject[]).filter(
    (m) => path === m.mountPath || path.startsWith(`${String(m.mountPath).replace(/\/$/, "")}/`),
  );
  return mounts.sort((a, b) => String(b.mountPath).length - String(a.mountPath).length)[0];
}

/** A rendered example: every object, its workloads (with pod specs) and its ConfigMaps' data by name. */
export interface RenderedExample {
  name: string;
  objects: K8sObject[];
  workloads: Array<{ obj: K8sObject; spec: K8sObject }>;
  configMaps: Map<string, Record<string, string>>;
}

const rendered = new Map<string, RenderedExample>();

/** Renders k8s/examples/<name> once per test run. */
export function loadExample(name: string): RenderedExample {
  let ex = rendered.get(name);
  if (!ex) {
    const objects = renderKustomization(join(K8S_DIR, "examples", name));
    const workloads = objects.flatMap((obj) => {
      const spec = podSpecOf(obj);
      return spec ? [{ obj, spec }] : [];
    });
    const configMaps = new Map(
      objects.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name as string, (o.data ?? {}) as Record<string, string>]),
    );
    ex = { name, objects, workloads, configMaps };
    rendered.set(name, ex);
  }
  return ex;
}

/** Names of every env var a container gets: its env list plus the keys of the ConfigMaps it takes with envFrom. */
export function effectiveEnvNames(c: Container, configMaps: Map<string, Record<string, string>>): string[] {
  const fromEnv = ((c.env ?? []) as Array<{ name: string }>).map((e) => e.name);
  const fromConfigMaps = ((c.envFrom ?? []) as K8sObject[]).flatMap((f) =>
    f.configMapRef ? Object.keys(configMaps.get(f.configMapRef.name) ?? {}).map((k) => `${f.prefix ?? ""}${k}`) : [],
  );
  return [...fromEnv, ...fromConfigMaps];
}
