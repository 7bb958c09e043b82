/** Turns a pod's (and its ServiceAccount's) annotations into one injection config, or a reason not to inject. */
import { IamraError } from "../errors.js";
import { annotationName, annotationsUnder, INJECTED_STATUS, POD_ONLY_KEYS, SHARED_KEYS } from "./annotations.js";
import type { EnvVar, Pod } from "./podTypes.js";
import { VAULT_CA_FILE } from "./injectionLayout.js";

/** native: the refresher is an init container with restartPolicy Always (Kubernetes >= 1.29); else classic. */
export type SidecarMode = "native" | "init-and-sidecar";
/** IMDS emulation: off; also (besides the container endpoint); only (for SDKs that cannot send the endpoint token). */
export type ImdsMode = "off" | "also" | "only";

/** What the webhook applies when a pod says nothing else (from the webhook's settings). */
export interface InjectionDefaults {
  annotationPrefix: string;
  image: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  mode: SidecarMode;
  /** Audience of the projected token (the Vault kubernetes auth role's `audience`). */
  audience: string;
  /** Lifetime of the projected token, seconds (Kubernetes requires at least 600). */
  tokenExpirationSeconds: number;
  /** Region for the app containers' AWS_REGION when no annotation names one. */
  region?: string;
  /** The pod's fsGroup when it has none: the app reads the endpoint token (mode 0640) through this group. */
  fsGroup: number;
  /** Settings every injected refresher gets (environment names of `iamra-vault refresher --help`). */
  refresherEnv: EnvVar[];
  /** Mount the pod's API token and pass the pod's name, namespace and UID, for Kubernetes Events (default true). */
  kubernetesEvents?: boolean;
  /** A ConfigMap in the pod's namespace holding the CA of Vault's certificate, mounted as VAULT_CACERT. */
  vaultCa?: VaultCaSource;
}

/** Where injected containers get the CA certificate(s) of Vault's TLS certificate. */
export interface VaultCaSource {
  configMap: string;
  key: string;
}

/** Everything the builders need to patch one pod. */
export interface InjectionConfig {
  mode: SidecarMode;
  image: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  audience: string;
  tokenExpirationSeconds: number;
  region?: string;
  imds: ImdsMode;
  /** App containers that get no environment and no mount. */
  skipContainers: string[];
  fsGroup: number;
  /** The refresher's environment: the defaults with the annotations' overrides applied. */
  refresherEnv: EnvVar[];
  annotationPrefix: string;
  kubernetesEvents: boolean;
  vaultCa?: VaultCaSource;
}

/** The decision for one pod. */
export type InjectionDecision = { inject: false; reason: string } | { inject: true; config: InjectionConfig };

/** A pod's annotations name bad values: the admission is denied with every problem listed. */
export class AnnotationError extends IamraError {
  readonly problems: string[];
  constructor(problems: string[], prefix: string) {
    super({
      code: "WEBHOOK_ANNOTATION_INVALID",
      message: `iamra-vault cannot inject this pod: ${problems.join("; ")}`,
      hint: `fix the ${prefix}/* annotations on the pod or its ServiceAccount (README: "Admission webhook")`,
      step: "admission",
      details: { problems },
    });
    this.problems = problems;
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const VAULT_ROLE = /^[\w.@-]{1,256}$/;
const AUDIENCE = /^\S{1,256}$/;
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 86_400;

/**
 * Decides whether and how to inject `pod`. The Pod's annotations win over its ServiceAccount's. Throws AnnotationError
 * listing every problem when an opted-in pod (or any pod, for the opt-in value itself) names bad values.
 */
export function parseInjectionConfig(
  pod: Pod,
  serviceAccountAnnotations: Record<string, string> | undefined,
  defaults: InjectionDefaults,
): InjectionDecision {
  const prefix = defaults.annotationPrefix;
  const own = annotationsUnder(prefix, pod.metadata?.annotations);
  const fromSa = annotationsUnder(prefix, serviceAccountAnnotations);
  const problems: string[] = [];
  const name = (key: string) => `${prefix}/${key}`;

  const optIn = own.get("inject") ?? fromSa.get("inject");
  if (optIn === undefined) return { inject: false, reason: "not opted in" };
  const wanted = parseSwitch(optIn);
  if (wanted === undefined)
    throw new AnnotationError([`${name("inject")} is "${optIn}"; use "true" or "false"`], prefix);
  if (!wanted) return { inject: false, reason: `${name("inject")} is "${optIn}"` };
  if (own.get("status") === INJECTED_STATUS) return { inject: false, reason: "already injected" };

  for (const key of own.keys()) {
    if (!(SHARED_KEYS as readonly string[]).includes(key) && !(POD_ONLY_KEYS as readonly string[]).includes(key)) {
      problems.push(
        `unknown annotation ${name(key)} on the pod (known: ${[...SHARED_KEYS, ...POD_ONLY_KEYS].join(", ")})`,
      );
    }
  }
  for (const key of fromSa.keys()) {
    if (!(SHARED_KEYS as readonly string[]).includes(key)) {
      problems.push(
        `annotation ${name(key)} is not read from a ServiceAccount (known there: ${SHARED_KEYS.join(", ")})`,
      );
    }
  }
  const value = (key: (typeof SHARED_KEYS)[number]) => own.get(key) ?? fromSa.get(key);

  const roleArn = value("role-arn");
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    problems.push(
      `${name("role-arn")} "${roleArn}" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`,
    );
  }
  const vaultRole = value("vault-role");
  if (vaultRole !== undefined && !VAULT_ROLE.test(vaultRole)) {
    problems.push(`${name("vault-role")} "${vaultRole}" is not a Vault role name (letters, digits, . _ @ -)`);
  }
  const region = value("region") ?? defaults.region;
  if (value("region") !== undefined && !REGION.test(region!)) {
    problems.push(`${name("region")} "${region}" is not an AWS region (e.g. eu-west-1)`);
  }
  const imds = parseImds(value("imds"), name("imds"), problems);
  const mode = parseMode(value("sidecar-mode"), defaults.mode, name("sidecar-mode"), problems);
  const audience = value("audience") ?? defaults.audience;
  if (!AUDIENCE.test(audience)) problems.push(`${name("audience")} "${audience}" must be 1-256 non-space characters`);
  const tokenExpirationSeconds = parseTokenSeconds(
    value("token-expiration"),
    defaults,
    name("token-expiration"),
    problems,
  );
  const skipContainers = parseSkipContainers(own.get("skip-containers"), pod, name("skip-containers"), problems);
  if (pod.spec.hostNetwork) {
    problems.push(
      "the pod uses hostNetwork: the credentials endpoint on 127.0.0.1 would be shared with the whole node",
    );
  }
  if (problems.length > 0) throw new AnnotationError(problems, prefix);

  const overrides: Record<string, string | undefined> = {
    IAMRA_ROLE_ARN: roleArn,
    IAMRA_VAULT_ROLE: vaultRole,
    AWS_REGION: value("region"),
    VAULT_CACERT: defaults.vaultCa ? VAULT_CA_FILE : undefined,
  };
  return {
    inject: true,
    config: {
      mode,
      image: defaults.image,
      imagePullPolicy: defaults.imagePullPolicy,
      audience,
      tokenExpirationSeconds,
      region,
      imds,
      skipContainers,
      fsGroup: defaults.fsGroup,
      refresherEnv: mergeEnv(defaults.refresherEnv, overrides),
      annotationPrefix: prefix,
      kubernetesEvents: defaults.kubernetesEvents ?? true,
      vaultCa: defaults.vaultCa,
    },
  };
}

/** The annotation that records an injection, as written by the webhook. */
export function statusAnnotation(prefix: string): string {
  return annotationName(prefix, "status");
}

function parseSwitch(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

function parseImds(raw: string | undefined, name: string, problems: string[]): ImdsMode {
  if (raw === undefined) return "off";
  const v = raw.trim().toLowerCase();
  if (v === "false") return "off";
  if (v === "true") return "also";
  if (v === "only") return "only";
  problems.push(`${name} is "${raw}"; use "true", "false" or "only"`);
  return "off";
}

function parseMode(raw: string | undefined, fallback: SidecarMode, name: string, problems: string[]): SidecarMode {
  if (raw === undefined) return fallback;
  if (raw === "native" || raw === "init-and-sidecar") return raw;
  problems.push(`${name} is "${raw}"; use "native" (Kubernetes >= 1.29) or "init-and-sidecar"`);
  return fallback;
}

function parseTokenSeconds(raw: string | undefined, d: InjectionDefaults, name: string, problems: string[]): number {
  if (raw === undefined) return d.tokenExpirationSeconds;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= MIN_TOKEN_SECONDS && n <= MAX_TOKEN_SECONDS)) {
    problems.push(`${name} is "${raw}"; use whole seconds from ${MIN_TOKEN_SECONDS} to ${MAX_TOKEN_SECONDS}`);
    return d.tokenExpirationSeconds;
  }
  return n;
}

function parseSkipContainers(raw: string | undefined, pod: Pod, name: string, problems: string[]): string[] {
  if (raw === undefined) return [];
  const names = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const known = new Set([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) problems.push(`${name} names containers the pod does not have: ${unknown.join(", ")}`);
  return names;
}

/** The defaults with each defined override replacing (or adding) the variable of that name. */
function mergeEnv(base: EnvVar[], overrides: Record<string, string | undefined>): EnvVar[] {
  const out = base.filter((e) => overrides[e.name] === undefined).map((e) => ({ ...e }));
  for (const [envName, value] of Object.entries(overrides)) if (value !== undefined) out.push({ name: envName, value });
  return out;
}
