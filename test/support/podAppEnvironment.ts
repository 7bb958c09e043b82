/** Test helper: a container of a rendered example or webhook-patched pod as a local process's env and args. */
import { join } from "node:path";

/** Where a test puts a pod: its paths under `root`, its 127.0.0.1 ports onto the ports the test's servers got. */
export interface PodMapping {
  root: string;
  /** Port in the manifest → port of the running stand-in or refresher. */
  ports: Record<number, number>;
}

/** A container as it appears in a manifest or a pod (only what is read here). */
export interface PodContainer {
  name: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: Record<string, any> }>;
  envFrom?: Array<Record<string, any>>;
}

/** An absolute path moves under the root; http://127.0.0.1:<port> gets the mapped port (an unmapped one throws). */
export function mapPodValue(value: string, m: PodMapping): string {
  if (value.startsWith("/")) return join(m.root, value);
  return value.replace(/^(https?:\/\/127\.0\.0\.1:)(\d+)/, (_all, head: string, port: string) => {
    const to = m.ports[Number(port)];
    if (to === undefined) throw new Error(`no port of this test stands for 127.0.0.1:${port} in ${value}`);
    return `${head}${to}`;
  });
}

/**
 * The environment the container gets, exactly: its `env` (values, and ConfigMap keys by configMapKeyRef) and the
 * ConfigMaps of its `envFrom`, with paths and ports mapped. Any other source (fieldRef, secrets) throws: the app
 * containers of the examples and of the webhook use none.
 */
export function containerEnvironment(
  c: PodContainer,
  configMaps: Map<string, Record<string, string>>,
  m: PodMapping,
): Record<string, string> {
  const out: Record<string, string> = {};
  const configMap = (name: string) => {
    const data = configMaps.get(name);
    if (!data) throw new Error(`container ${c.name} refers to ConfigMap ${name}, which the manifests do not define`);
    return data;
  };
  for (const from of c.envFrom ?? []) {
    if (!from.configMapRef) throw new Error(`container ${c.name}: unsupported envFrom ${JSON.stringify(from)}`);
    for (const [k, v] of Object.entries(configMap(from.configMapRef.name as string))) {
      out[`${from.prefix ?? ""}${k}`] = mapPodValue(v, m);
    }
  }
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.configMapKeyRef as { name: string; key: string } | undefined;
    if (e.value !== undefined) out[e.name] = mapPodValue(e.value, m);
    else if (ref) {
      const v = configMap(ref.name)[ref.key];
      if (v === undefined) throw new Error(`container ${c.name}: ConfigMap ${ref.name} has no key ${ref.key}`);
      out[e.name] = mapPodValue(v, m);
    } else throw new Error(`container ${c.name}: unsupported env source for ${e.name}`);
  }
  return out;
}

/** The container's args with paths mapped and every `--*-port=N` set to 0 (a free port; the CLI logs which). */
export function mapPodArgs(args: string[], root: string): string[] {
  return args.map((a) => {
    const port = /^(--[a-z-]*port)=\d+$/.exec(a);
    if (port) return `${port[1]}=0`;
    const flag = /^(--[a-z-]+)=(\/.*)$/.exec(a);
    if (flag) return `${flag[1]}=${join(root, flag[2]!)}`;
    return a.startsWith("/") ? join(root, a) : a;
  });
}
