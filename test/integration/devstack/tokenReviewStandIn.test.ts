import { expect } from "chai";
import { createPublicKey, verify } from "node:crypto";
import {
  startTokenReviewStandIn,
  type TokenReviewStandIn,
} from "../../../devstack/kubernetes/startTokenReviewStandIn.js";
import { shiftedClock } from "./vaultTestKit.js";

async function review(k8s: TokenReviewStandIn, token: string, bearer: string | undefined, audiences?: string[]) {
  const res = await fetch(`${k8s.url}/apis/authentication.k8s.io/v1/tokenreviews`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token, audiences } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("startTokenReviewStandIn", function () {
  this.timeout(20_000);
  const clock = shiftedClock();
  let k8s: TokenReviewStandIn;

  before(
    async () =>
      (k8s = await startTokenReviewStandIn({ clock, issuer: "https://kubernetes.default.svc.cluster.local" })),
  );
  after(async () => k8s?.close());
  afterEach(() => clock.reset());

  it("mints RS256 JWTs with the claims of a projected service-account token", () => {
    const jwt = k8s.mintToken({ namespace: "payments", serviceAccount: "app", audiences: ["vault"], ttlMs: 600_000 });
    const [h, p, s] = jwt.split(".");
    expect(JSON.parse(Buffer.from(h!, "base64url").toString())).to.include({ alg: "RS256" });
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, any>;
    expect(claims).to.include({
      iss: "https://kubernetes.default.svc.cluster.local",
      sub: "system:serviceaccount:payments:app",
    });
    expect(claims["aud"]).to.deep.equal(["vault"]);
    expect(claims["exp"] - claims["iat"]).to.equal(600);
    expect(claims["nbf"]).to.equal(claims["iat"]);
    expect(claims["kubernetes.io"].namespace).to.equal("payments");
    expect(claims["kubernetes.io"].serviceaccount.name).to.equal("app");
    expect(
      verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey(k8s.publicKeyPem), Buffer.from(s!, "base64url")),
    ).to.equal(true);
    const again = JSON.parse(
      Buffer.from(
        k8s.mintToken({ namespace: "payments", serviceAccount: "app" }).split(".")[1]!,
        "base64url",
      ).toString(),
    );
    expect(again["kubernetes.io"].serviceaccount.uid).to.equal(claims["kubernetes.io"].serviceaccount.uid);
  });

  it("authenticates a valid token like the API server (201, username, uid, groups, audiences)", async () => {
    const jwt = k8s.mintToken({ namespace: "payments", serviceAccount: "app", uid: "u-1" });
    const { status, body } = await review(k8s, jwt, k8s.reviewerJwt);
    expect(status).to.equal(201);
    expect(body["kind"]).to.equal("TokenReview");
    expect(body["status"]).to.deep.include({
      authenticated: true,
      audiences: ["https://kubernetes.default.svc.cluster.local"],
    });
    expect(body["status"].user).to.deep.include({
      username: "system:serviceaccount:payments:app",
      uid: "u-1",
      groups: ["system:serviceaccounts", "system:serviceaccounts:payments", "system:authenticated"],
    });
    const record = k8s.requests.at(-1)!;
    expect(record).to.include({ bearer: "reviewer", reviewedSubject: "system:serviceaccount:payments:app" });
    expect(JSON.stringify(record)).not.to.include(jwt);
  });

  it("accepts the reviewed token itself as bearer and refuses other callers", async () => {
    const jwt = k8s.mintToken({ namespace: "payments", serviceAccount: "app" });
    expect((await review(k8s, jwt, jwt)).body["status"].authenticated).to.equal(true);
    expect((await review(k8s, jwt, undefined)).status).to.equal(401);
    expect((await review(k8s, jwt, "garbage")).status).to.equal(401);
    const other = k8s.mintToken({ namespace: "payments", serviceAccount: "other" });
    const forbidden = await review(k8s, jwt, other);
    expect(forbidden.status).to.equal(403);
    expect(forbidden.body["reason"]).to.equal("Forbidden");
  });

  const failures: Array<{
    name: string;
    make: (k: TokenReviewStandIn) => string;
    audiences?: string[];
    advanceMs?: number;
    error: string;
  }> = [
    {
      name: "expired",
      make: (k) => k.mintToken({ namespace: "a", serviceAccount: "b", ttlMs: 60_000 }),
      advanceMs: 61_000 + 1000,
      error: "[invalid bearer token, service account token has expired]",
    },
    {
      name: "revoked",
      make: (k) => {
        const t = k.mintToken({ namespace: "a", serviceAccount: "b" });
        k.revoke(t);
        return t;
      },
      error: "[invalid bearer token, service account token has been invalidated]",
    },
    {
      name: "tampered",
      make: (k) => {
        const t = k.mintToken({ namespace: "a", serviceAccount: "b" });
        return `${t.slice(0, -4)}AAAA`;
      },
      error: "[invalid bearer token, square/go-jose: error in cryptographic primitive]",
    },
    {
      name: "for another audience",
      make: (k) => k.mintToken({ namespace: "a", serviceAccount: "b", audiences: ["x"] }),
      audiences: ["vault"],
      error: '[invalid bearer token, token audiences ["x"] is invalid for the target audiences ["vault"]]',
    },
  ];
  for (const f of failures) {
    it(`answers authenticated=false with an error for a token that is ${f.name}`, async () => {
      const jwt = f.make(k8s);
      if (f.advanceMs) clock.advance(f.advanceMs);
      const { status, body } = await review(k8s, jwt, jwt === "" ? undefined : k8s.reviewerJwt, f.audiences);
      expect(status).to.equal(201);
      expect(body["status"].authenticated).to.equal(undefined);
      expect(body["status"].error).to.equal(f.error);
    });
  }
});
