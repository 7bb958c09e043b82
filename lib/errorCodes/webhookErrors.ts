import { RUNTIME, type ErrorCodeEntry } from "./errorCodeEntry.js";

/** Error codes of the group "webhook" (see ERROR_CODE_GROUPS). */
export const WEBHOOK_ERRORS = {
  WEBHOOK_ANNOTATION_INVALID: {
    group: "webhook",
    exitCodes: RUNTIME,
    meaning: "the pod's or ServiceAccount's iamra-vault annotations are malformed; the pod is refused",
    hint: "fix the annotations",
  },
  WEBHOOK_REVIEW_INVALID: {
    group: "webhook",
    exitCodes: RUNTIME,
    meaning: "the webhook received a request that is not an AdmissionReview for a pod",
    hint: "check the MutatingWebhookConfiguration's rules",
  },
  WEBHOOK_TLS_INVALID: {
    group: "webhook",
    exitCodes: RUNTIME,
    meaning: "the webhook's serving certificate or key cannot be used",
    hint: "mount a PEM certificate (leaf first) and its key, e.g. a TLS Secret's tls.crt and tls.key",
  },
  KUBERNETES_API_FAILED: {
    group: "webhook",
    exitCodes: RUNTIME,
    meaning: "the webhook could not read a ServiceAccount from the Kubernetes API",
    hint: "let the webhook's ServiceAccount get serviceaccounts",
  },
} as const satisfies Record<string, ErrorCodeEntry>;
