/** One AdmissionReview (admission.k8s.io/v1) in, one AdmissionReview out: decode, decide, patch. */
import { IamraError, isIamraError } from "../errors.js";
import { annotationName } from "./annotations.js";
import { buildPatch } from "./buildPatch.js";
import { AnnotationError, parseInjectionConfig, type InjectionDefaults } from "./parseInjectionConfig.js";
import type { Pod } from "./podTypes.js";
import type { ServiceAccountLookup } from "./serviceAccountLookup.js";

/** The response part of an AdmissionReview. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  patchType?: "JSONPatch";
  /** Base64 of the JSON Patch. */
  patch?: string;
  status?: { code: number; message: string };
  warnings?: string[];
}

/** An AdmissionReview answer. */
export interface AdmissionReviewOut {
  apiVersion: "admission.k8s.io/v1";
  kind: "AdmissionReview";
  response: AdmissionResponse;
}

/** What happened to the pod (for metrics and logs). */
export type AdmissionOutcome = "injected" | "skipped" | "denied";

/** The answer and what it did. */
export interface AdmissionResult {
  review: AdmissionReviewOut;
  outcome: AdmissionOutcome;
  /** Why the pod was skipped or denied. */
  reason?: string;
}

/** What reviewAdmission needs besides the request. */
export interface ReviewDeps {
  defaults: InjectionDefaults;
  /** Reads ServiceAccount annotations; without it only the Pod's annotations count. */
  serviceAccounts?: ServiceAccountLookup;
}

interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  operation?: string;
  namespace?: string;
  object?: unknown;
}

/**
 * Decides one AdmissionReview. Pods that did not opt in, other kinds and other operations are allowed unchanged; an
 * opted-in pod gets a JSON Patch; bad annotations are denied with HTTP code 400 and every problem in the message.
 * Throws IamraError WEBHOOK_REVIEW_INVALID when the body is not an AdmissionReview v1 request.
 */
export async function reviewAdmission(body: unknown, deps: ReviewDeps): Promise<AdmissionResult> {
  const request = readRequest(body);
  const answer = (response: Omit<AdmissionResponse, "uid">, outcome: AdmissionOutcome, reason?: string) => ({
    review: {
      apiVersion: "admission.k8s.io/v1" as const,
      kind: "AdmissionReview" as const,
      response: { uid: request.uid, ...response },
    },
    outcome,
    reason,
  });
  if (request.kind?.kind !== "Pod" || (request.kind.group ?? "") !== "")
    return answer({ allowed: true }, "skipped", "not a Pod");
  if (request.operation !== "CREATE") return answer({ allowed: true }, "skipped", `operation ${request.operation}`);
  const pod = readPod(request.object);
  const prefix = deps.defaults.annotationPrefix;
  const ownOptIn = pod.metadata?.annotations?.[annotationName(prefix, "inject")];

  let saAnnotations: Record<string, string> | undefined;
  const namespace = request.namespace ?? pod.metadata?.namespace;
  const saName = pod.spec.serviceAccountName ?? "default";
  if (deps.serviceAccounts && ownOptIn?.trim().toLowerCase() !== "false" && namespace) {
    try {
      saAnnotations = await deps.serviceAccounts.annotations(namespace, saName);
    } catch (err) {
      const why = `cannot read ServiceAccount ${namespace}/${saName}: ${isIamraError(err) ? err.message : String(err)}`;
      // a pod that opted in itself must not start without credentials; its controller retries the creation
      if (ownOptIn !== undefined) return answer({ allowed: false, status: { code: 503, message: why } }, "denied", why);
      return answer({ allowed: true, warnings: [`iamra-vault: ${why}; pod not injected`] }, "skipped", why);
    }
  }

  try {
    const decision = parseInjectionConfig(pod, saAnnotations, deps.defaults);
    if (!decision.inject) return answer({ allowed: true }, "skipped", decision.reason);
    const patch = buildPatch(pod, decision.config);
    return answer(
      { allowed: true, patchType: "JSONPatch", patch: Buffer.from(JSON.stringify(patch)).toString("base64") },
      "injected",
    );
  } catch (err) {
    if (!(err instanceof AnnotationError)) throw err;
    return answer({ allowed: false, status: { code: 400, message: err.summary() } }, "denied", err.message);
  }
}

function invalid(message: string): IamraError {
  return new IamraError({
    code: "WEBHOOK_REVIEW_INVALID",
    message,
    hint: "the webhook accepts AdmissionReview admission.k8s.io/v1 requests for Pods (admissionReviewVersions: [v1])",
    step: "admission",
  });
}

function readRequest(body: unknown): AdmissionRequest {
  const review = body as { apiVersion?: unknown; kind?: unknown; request?: Partial<AdmissionRequest> } | null;
  if (typeof review !== "object" || review === null || review.kind !== "AdmissionReview") {
    throw invalid("the request body is not an AdmissionReview");
  }
  if (review.apiVersion !== "admission.k8s.io/v1") {
    throw invalid(`AdmissionReview apiVersion "${String(review.apiVersion)}" is not admission.k8s.io/v1`);
  }
  const request = review.request;
  if (typeof request !== "object" || request === null || typeof request.uid !== "string" || request.uid === "") {
    throw invalid("the AdmissionReview has no request.uid");
  }
  return request as AdmissionRequest;
}

function readPod(object: unknown): Pod {
  const pod = object as Pod | null;
  if (typeof pod !== "object" || pod === null || typeof pod.spec !== "object" || !Array.isArray(pod.spec.containers)) {
    throw invalid("the AdmissionReview's request.object is not a Pod with spec.containers");
  }
  return pod;
}
