/** How the webhook reads a ServiceAccount's annotations (the AdmissionReview carries only the Pod). */

/** Annotations of one ServiceAccount, or undefined when it does not exist. Throws IamraError when it cannot tell. */
export interface ServiceAccountLookup {
  annotations(namespace: string, name: string): Promise<Record<string, string> | undefined>;
}
