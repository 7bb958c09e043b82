import { createPublicKey, generateKeyPair, randomUUID, type KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { systemClock, type Clock } from "../../lib/time/clock.js";
import { keyIdOf, signServiceAccountJwt, unverifiedClaim } from "./serviceAccountJwt.js";
import { checkToken, reviewStatus, type ReviewContext } from "./reviewToken.js";
import { listenLoopback } from "../listenLoopback.js";
import { readRequestBody } from "../readRequestBody.js";
import { apiServerCertificate } from "./apiServerCertificate.js";

/** Options of the TokenReview stand-in. */
export interface TokenReviewStandInOptions {
  host?: string;
  port?: number;
  /** The service-account issuer (`iss`), also the API server's default audience. */
  issuer?: string;
  clock?: Clock;
  /** Audiences of minted tokens when mintToken() names none (default: the API server's, i.e. the issuer). */
  defaultAudiences?: string[];
  /**
   * Serve HTTPS with a throwaway CA (as kube-apiserver does), exposed as `caCertPem` for Vault's kubernetes_ca_cert.
   * Real servers (OpenBao) require a CA certificate for the kubernetes auth config.
   */
  tls?: boolean;
}

/** What to put in a minted service-account token. */
export interface MintTokenOptions {
  namespace: string;
  serviceAccount: string;
  uid?: string;
  audiences?: string[];
  /** Lifetime in ms; default 1 hour. */
  ttlMs?: number;
  pod?: { name: string; uid: string };
}

/**
 * One request seen: path, body (the reviewed token replaced by "<redacted>"), which bearer it used, the reviewed `sub`.
 */
export interface TokenReviewRequestRecord {
  path: string;
  body: unknown;
  bearer?: "reviewer" | "reviewed-token" | "other" | "none";
  reviewedSubject?: string;
}

/** A running Kubernetes TokenReview stand-in (a test double, not kube-apiserver). */
export interface TokenReviewStandIn {
  url: string;
  /** A token of `vault/vault-auth` that may create TokenReviews (give it to Vault as token_reviewer_jwt). */
  reviewerJwt: string;
  /** The PEM public key tokens are signed with (usable as Vault's `pem_keys`). */
  publicKeyPem: string;
  /** The CA that signed the HTTPS certificate (only with `tls`). */
  caCertPem?: string;
  mintToken(o: MintTokenOptions): string;
  revoke(jwt: string): void;
  requests: TokenReviewRequestRecord[];
  close(): Promise<void>;
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  const body = JSON.stringify({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  });
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(body);
}

/**
 * Starts the loopback TokenReview stand-in: mints RS256 service-account JWTs and answers `tokenreviews` like
 * kube-apiserver.
 */
export async function startTokenReviewStandIn(opts: TokenReviewStandInOptions = {}): Promise<TokenReviewStandIn> {
  const clock = opts.clock ?? systemClock;
  const issuer = opts.issuer ?? "https://kubernetes.default.svc.cluster.local";
  const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const publicKey: KeyObject = createPublicKey(privateKey);
  const kid = keyIdOf(publicKey);
  const uids = new Map<string, string>();
  const revoked = new Set<string>();
  const requests: TokenReviewRequestRecord[] = [];
  const ctx = (): ReviewContext => ({ publicKey, nowMs: clock.now(), revokedJtis: revoked, apiAudiences: [issuer] });

  const mintToken = (o: MintTokenOptions): string => {
    const key = `${o.namespace}/${o.serviceAccount}`;
    const uid = o.uid ?? uids.get(key) ?? randomUUID();
    uids.set(key, uid);
    const iat = Math.floor(clock.now() / 1000);
    const k8s: {
      namespace: string;
      serviceaccount: { name: string; uid: string };
      pod?: { name: string; uid: string };
    } = {
      namespace: o.namespace,
      serviceaccount: { name: o.serviceAccount, uid },
    };
    if (o.pod) k8s.pod = o.pod;
    return signServiceAccountJwt(
      {
        aud: o.audiences ?? opts.defaultAudiences ?? [issuer],
        exp: iat + Math.floor((o.ttlMs ?? 3_600_000) / 1000),
        iat,
        iss: issuer,
        jti: randomUUID(),
        "kubernetes.io": k8s,
        nbf: iat,
        sub: `system:serviceaccount:${o.namespace}:${o.serviceAccount}`,
      },
      privateKey,
      kid,
    );
  };
  const reviewerJwt = mintToken({
    namespace: "vault",
    serviceAccount: "vault-auth",
    audiences: [issuer],
    ttlMs: 365 * 24 * 3_600_000,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://k8s.invalid").pathname;
    const text = (await readRequestBody(req))?.toString("utf8") ?? "";
    let body: { spec?: { token?: string; audiences?: string[] } } = {};
    try {
      body = text ? (JSON.parse(text) as typeof body) : {};
    } catch {
      body = {}; // a non-JSON body is answered below as a bad request
    }
    const reviewed = body.spec?.token ?? "";
    const record: TokenReviewRequestRecord = {
      path,
      body: reviewed ? { ...body, spec: { ...body.spec, token: "<redacted>" } } : body,
      reviewedSubject: reviewed ? unverifiedClaim(reviewed, "sub") : undefined,
    };
    requests.push(record);
    if (path !== "/apis/authentication.k8s.io/v1/tokenreviews")
      return status(res, 404, "NotFound", "the server could not find the requested resource");
    const auth = req.headers.authorization ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    record.bearer = !bearer
      ? "none"
      : bearer === reviewerJwt
        ? "reviewer"
        : bearer === reviewed
          ? "reviewed-token"
          : "other";
    if (!bearer || !checkToken(bearer, ctx(), []).claims) return status(res, 401, "Unauthorized", "Unauthorized");
    if (record.bearer === "other") {
      const sub = unverifiedClaim(bearer, "sub") ?? "";
      return status(
        res,
        403,
        "Forbidden",
        `tokenreviews.authentication.k8s.io is forbidden: User "${sub}" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope`,
      );
    }
    if (req.method !== "POST")
      return status(res, 405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
    if (!reviewed)
      return status(
        res,
        400,
        "BadRequest",
        "the server rejected our request for an unknown reason (post tokenreviews.authentication.k8s.io): spec.token: Required value",
      );
    const out = {
      kind: "TokenReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec: body.spec,
      status: reviewStatus(reviewed, ctx(), body.spec?.audiences ?? []),
    };
    res.writeHead(201, { "Content-Type": "application/json" });
    res.end(JSON.stringify(out));
  };

  const tls = opts.tls ? await apiServerCertificate(opts.host ?? "127.0.0.1") : undefined;
  const listener = await listenLoopback("tokenreview stand-in", handle, { host: opts.host, port: opts.port, tls });
  return {
    url: listener.url,
    reviewerJwt,
    caCertPem: tls?.caCertPem,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) as string,
    mintToken,
    revoke: (jwt) => {
      const jti = unverifiedClaim(jwt, "jti");
      if (jti) revoked.add(jti);
    },
    requests,
    close: () => listener.close(),
  };
}
