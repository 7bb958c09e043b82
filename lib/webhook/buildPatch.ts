/** The RFC 6902 JSON Patch that turns an opted-in pod into an injected one, skipping whatever the pod already has. */
import { INJECTED_STATUS } from "./annotations.js";
import { buildAppEnv, buildAppMount } from "./buildAppEnv.js";
import { buildInitContainer, buildRefresherContainer } from "./buildRefresherContainers.js";
import { buildVolumes } from "./buildVolumes.js";
import { INIT_CONTAINER, REFRESHER_CONTAINER, SHARED_VOLUME } from "./injectionLayout.js";
import { statusAnnotation, type InjectionConfig } from "./parseInjectionConfig.js";
import type { Container, Pod } from "./podTypes.js";

/** One RFC 6902 operation (the webhook only adds). */
export interface PatchOperation {
  op: "add";
  path: string;
  value: unknown;
}

/** Escapes one JSON Pointer token (RFC 6901: "~" → "~0", "/" → "~1"). */
export function pointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Builds the patch. Operations apply in order, so edits of existing containers (by their original index) come before
 * the insertion of the iamra-vault containers at index 0. Environment variables, mounts, volumes and containers the pod
 * already has (by name, or by mount path) are left as the user wrote them.
 */
export function buildPatch(pod: Pod, config: InjectionConfig): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const spec = pod.spec;
  addStatus(ops, pod, config);
  if (spec.securityContext === undefined) {
    ops.push({ op: "add", path: "/spec/securityContext", value: { fsGroup: config.fsGroup } });
  } else if (spec.securityContext.fsGroup === undefined) {
    ops.push({ op: "add", path: "/spec/securityContext/fsGroup", value: config.fsGroup });
  }

  const ours = new Set([REFRESHER_CONTAINER, INIT_CONTAINER]);
  const isApp = (c: Container) => !ours.has(c.name) && !config.skipContainers.includes(c.name);
  // user init containers run after the native sidecar has started, so they can use the endpoint; in init + sidecar
  // mode nothing serves it before the regular containers start
  const lists: Array<["initContainers" | "containers", Container[]]> = [["containers", spec.containers]];
  if (config.mode === "native" && spec.initContainers) lists.unshift(["initContainers", spec.initContainers]);
  for (const [list, containers] of lists) {
    containers.forEach((c, i) => {
      if (isApp(c)) addToAppContainer(ops, `/spec/${list}/${i}`, c, config);
    });
  }

  const haveVolumes = new Set((spec.volumes ?? []).map((v) => v.name));
  appendAll(
    ops,
    "/spec/volumes",
    spec.volumes,
    buildVolumes(config).filter((v) => !haveVolumes.has(v.name)),
  );

  const present = new Set([...(spec.initContainers ?? []), ...spec.containers].map((c) => c.name));
  if (config.mode === "native") {
    if (!present.has(REFRESHER_CONTAINER))
      insertFirst(ops, "/spec/initContainers", spec.initContainers, buildRefresherContainer(config));
  } else {
    if (!present.has(INIT_CONTAINER))
      insertFirst(ops, "/spec/initContainers", spec.initContainers, buildInitContainer(config));
    // listed first: the kubelet starts containers in order, so the refresher is up before the app
    if (!present.has(REFRESHER_CONTAINER))
      insertFirst(ops, "/spec/containers", spec.containers, buildRefresherContainer(config));
  }
  return ops;
}

function addStatus(ops: PatchOperation[], pod: Pod, config: InjectionConfig): void {
  const key = statusAnnotation(config.annotationPrefix);
  if (pod.metadata === undefined) {
    ops.push({ op: "add", path: "/metadata", value: { annotations: { [key]: INJECTED_STATUS } } });
  } else if (pod.metadata.annotations === undefined) {
    ops.push({ op: "add", path: "/metadata/annotations", value: { [key]: INJECTED_STATUS } });
  } else {
    ops.push({ op: "add", path: `/metadata/annotations/${pointerToken(key)}`, value: INJECTED_STATUS });
  }
}

function addToAppContainer(ops: PatchOperation[], path: string, c: Container, config: InjectionConfig): void {
  const have = new Set((c.env ?? []).map((e) => e.name));
  appendAll(
    ops,
    `${path}/env`,
    c.env,
    buildAppEnv(config).filter((e) => !have.has(e.name)),
  );
  const mount = buildAppMount();
  const mounted = (c.volumeMounts ?? []).some((m) => m.mountPath === mount.mountPath || m.name === SHARED_VOLUME);
  if (!mounted) appendAll(ops, `${path}/volumeMounts`, c.volumeMounts, [mount]);
}

/** Adds items at the end of an array, creating the array when the pod has none. */
function appendAll(ops: PatchOperation[], path: string, existing: unknown[] | undefined, items: unknown[]): void {
  if (items.length === 0) return;
  if (existing === undefined) {
    ops.push({ op: "add", path, value: items });
    return;
  }
  for (const item of items) ops.push({ op: "add", path: `${path}/-`, value: item });
}

/** Inserts an item at index 0, creating the array when the pod has none. */
function insertFirst(ops: PatchOperation[], path: string, existing: unknown[] | undefined, item: unknown): void {
  ops.push(existing === undefined ? { op: "add", path, value: [item] } : { op: "add", path: `${path}/0`, value: item });
}
