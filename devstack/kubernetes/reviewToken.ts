import type { KeyObject } from "node:crypto";
import { verifyServiceAccountJwt, type ServiceAccountTokenClaims } from "./serviceAccountJwt.js";

/** The `status` of a TokenReview as kube-apiserver fills it (authentication.k8s.io/v1). */
export interface TokenReviewStatus {
  authenticated?: boolean;
  user: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  audiences?: string[];
  error?: string;
}

/** What reviewing one token needs: the signing key, the clock, revoked token ids and the API server's audiences. */
export interface ReviewContext {
  publicKey: KeyObject;
  nowMs: number;
  revokedJtis: Set<string>;
  apiAudiences: string[];
}

/**
 * Checks a token like the service-account authenticator: signature, revocation, expiry (no leeway past exp) and
 * audiences.
 */
export function checkToken(
  token: string,
  ctx: ReviewContext,
  wanted: string[],
): { claims?: ServiceAccountTokenClaims; error?: string; audiences?: string[] } {
  const claims = verifyServiceAccountJwt(token, ctx.publicKey);
  if (!claims) return { error: "[invalid bearer token, square/go-jose: error in cryptographic primitive]" };
  if (ctx.revokedJtis.has(claims.jti))
    return { error: "[invalid bearer token, service account token has been invalidated]" };
  const now = Math.floor(ctx.nowMs / 1000);
  if (now > claims.exp) return { error: "[invalid bearer token, service account token has expired]" };
  if (claims.nbf && now < claims.nbf)
    return { error: "[invalid bearer token, service account token is not valid yet]" };
  const target = wanted.length ? wanted : ctx.apiAudiences;
  const audiences = claims.aud.filter((a) => target.includes(a));
  if (audiences.length === 0) {
    const q = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(" ")}]`;
    return {
      error: `[invalid bearer token, token audiences ${q(claims.aud)} is invalid for the target audiences ${q(target)}]`,
    };
  }
  return { claims, audiences };
}

/** The TokenReview status for a reviewed token. */
export function reviewStatus(token: string, ctx: ReviewContext, wanted: string[]): TokenReviewStatus {
  const { claims, error, audiences } = checkToken(token, ctx, wanted);
  if (!claims) return { user: {}, error };
  const k8s = claims["kubernetes.io"];
  const extra: Record<string, string[]> = { "authentication.kubernetes.io/credential-id": [`JTI=${claims.jti}`] };
  if (k8s.pod) {
    extra["authentication.kubernetes.io/pod-name"] = [k8s.pod.name];
    extra["authentication.kubernetes.io/pod-uid"] = [k8s.pod.uid];
  }
  return {
    authenticated: true,
    user: {
      username: `system:serviceaccount:${k8s.namespace}:${k8s.serviceaccount.name}`,
      uid: k8s.serviceaccount.uid,
      groups: ["system:serviceaccounts", `system:serviceaccounts:${k8s.namespace}`, "system:authenticated"],
      extra,
    },
    audiences,
  };
}
