/**
 * The Pod Security Standards "restricted" profile (latest version, which includes "baseline"), as a checker for tests:
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/. Returns one line per violation.
 */

type Obj = Record<string, any>;

const ALLOWED_VOLUME_TYPES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

/** Every violation of the restricted profile in a pod spec; an empty list means the pod is admitted. */
export function checkRestrictedProfile(spec: Obj): string[] {
  const problems: string[] = [];
  const podSc: Obj = spec.securityContext ?? {};
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field]) problems.push(`pod sets ${field}`);
  if (podSc.windowsOptions?.hostProcess) problems.push("pod sets windowsOptions.hostProcess");
  for (const s of (podSc.sysctls ?? []) as Obj[])
    if (!SAFE_SYSCTLS.has(s.name)) problems.push(`unsafe sysctl ${s.name}`);
  if (podSc.runAsUser === 0) problems.push("pod runAsUser is 0");
  if (podSc.seccompProfile && !okSeccomp(podSc.seccompProfile)) problems.push("pod seccompProfile is not allowed");
  for (const v of (spec.volumes ?? []) as Obj[]) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !ALLOWED_VOLUME_TYPES.has(type)) problems.push(`volume ${v.name} has type ${type ?? "none"}`);
  }
  const all: Array<[string, Obj]> = [
    ...((spec.initContainers ?? []) as Obj[]).map((c) => [`initContainer ${c.name}`, c] as [string, Obj]),
    ...((spec.containers ?? []) as Obj[]).map((c) => [`container ${c.name}`, c] as [string, Obj]),
    ...((spec.ephemeralContainers ?? []) as Obj[]).map((c) => [`ephemeralContainer ${c.name}`, c] as [string, Obj]),
  ];
  for (const [where, c] of all) {
    const sc: Obj = c.securityContext ?? {};
    if (sc.privileged) problems.push(`${where} is privileged`);
    if (sc.windowsOptions?.hostProcess) problems.push(`${where} sets windowsOptions.hostProcess`);
    if (sc.procMount && sc.procMount !== "Default") problems.push(`${where} procMount is ${sc.procMount}`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where} does not set allowPrivilegeEscalation: false`);
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) problems.push(`${where} does not run as non-root (runAsNonRoot on the pod or container)`);
    if (sc.runAsUser === 0) problems.push(`${where} runAsUser is 0`);
    const seccomp = sc.seccompProfile ?? podSc.seccompProfile;
    if (!seccomp || !okSeccomp(seccomp)) problems.push(`${where} has no RuntimeDefault or Localhost seccompProfile`);
    const caps: Obj = sc.capabilities ?? {};
    if (!((caps.drop ?? []) as string[]).includes("ALL")) problems.push(`${where} does not drop ALL capabilities`);
    for (const cap of (caps.add ?? []) as string[]) {
      if (cap !== "NET_BIND_SERVICE") problems.push(`${where} adds capability ${cap}`);
    }
    for (const p of (c.ports ?? []) as Obj[]) if (p.hostPort) problems.push(`${where} uses hostPort ${p.hostPort}`);
    const seType = sc.seLinuxOptions?.type;
    if (seType && !["container_t", "container_init_t", "container_kvm_t", "container_engine_t"].includes(seType)) {
      problems.push(`${where} seLinuxOptions.type is ${seType}`);
    }
  }
  return problems;
}

function okSeccomp(p: Obj): boolean {
  return p.type === "RuntimeDefault" || p.type === "Localhost";
}
