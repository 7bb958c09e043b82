import { expect } from "chai";
import { reviewAdmission } from "../../../../lib/webhook/reviewAdmission.js";
import type { ServiceAccountLookup } from "../../../../lib/webhook/serviceAccountLookup.js";
import { IamraError } from "../../../../lib/errors.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { defaults, env, fixture, patched, validPodShape, wrap } from "./reviewAdmissionKit.js";

describe("reviewAdmission", () => {
  it("allows a pod that did not opt in, or opted out, without a patch", async () => {
    const review = fixture("pod-not-opted-in");
    const result = await reviewAdmission(wrap(review), { defaults });
    expect(result).to.deep.equal({
      outcome: "skipped",
      reason: "not opted in",
      review: {
        apiVersion: "admission.k8s.io/v1",
        kind: "AdmissionReview",
        response: { uid: review.request.uid, allowed: true },
      },
    });
    const out = fixture("pod-annotated");
    out.request.object.metadata!.annotations!["iamra-vault/inject"] = "false";
    let looked = 0;
    const lookup: ServiceAccountLookup = { annotations: async () => (looked++, { "iamra-vault/inject": "true" }) };
    const optedOut = await reviewAdmission(wrap(out), { defaults, serviceAccounts: lookup });
    expect(optedOut.outcome).to.equal("skipped");
    expect(optedOut.review.response.patch).to.equal(undefined);
    expect(looked, "the ServiceAccount is not read for a pod that opted out").to.equal(0);
  });

  it("denies bad annotations with every problem in one message", async () => {
    const review = fixture("pod-bad-annotations");
    const result = await reviewAdmission(wrap(review), { defaults });
    expect(result.outcome).to.equal("denied");
    const response = result.review.response;
    expect(response).to.include({ uid: review.request.uid, allowed: false });
    expect(response.patch).to.equal(undefined);
    expect(response.status!.code).to.equal(400);
    for (const part of [
      'iamra-vault/role-arn "arn:aws:iam::1234:user/bob" is not an IAM role ARN',
      'iamra-vault/region "Europe" is not an AWS region',
      'iamra-vault/token-expiration is "60"',
      'iamra-vault/sidecar-mode is "sidecar"',
      "iamra-vault/skip-containers names containers the pod does not have: nope",
      "unknown annotation iamra-vault/rolearn",
      "Hint: fix the iamra-vault/* annotations",
    ]) {
      expect(response.status!.message).to.include(part);
    }
    const yes = fixture("pod-annotated");
    yes.request.object.metadata!.annotations!["iamra-vault/inject"] = "yes";
    const r = await reviewAdmission(wrap(yes), { defaults });
    expect(r.review.response.status?.message).to.include('iamra-vault/inject is "yes"; use "true" or "false"');
  });

  it("denies an opted-in pod on the host network", async () => {
    const review = fixture("pod-annotated");
    review.request.object.spec.hostNetwork = true;
    const result = await reviewAdmission(wrap(review), { defaults });
    expect(result.review.response.allowed).to.equal(false);
    expect(result.review.response.status!.message).to.include("hostNetwork");
  });

  it("reads the opt-in and settings from the pod's ServiceAccount, the pod's own annotations winning", async () => {
    const review = fixture("pod-not-opted-in");
    review.request.object.metadata!.annotations = { "iamra-vault/region": "ap-south-1" };
    review.request.object.spec.serviceAccountName = "reports";
    const asked: string[] = [];
    const lookup: ServiceAccountLookup = {
      annotations: async (ns, name) => {
        asked.push(`${ns}/${name}`);
        return {
          "iamra-vault/inject": "true",
          "iamra-vault/role-arn": "arn:aws:iam::111122223333:role/reports",
          "iamra-vault/region": "us-east-2",
        };
      },
    };
    const pod = patched(review, await reviewAdmission(wrap(review), { defaults, serviceAccounts: lookup }));
    expect(asked).to.deep.equal(["web/reports"]);
    validPodShape(pod);
    expect(env(pod.spec.initContainers![0], "IAMRA_ROLE_ARN")[0]!.value).to.equal(
      "arn:aws:iam::111122223333:role/reports",
    );
    expect(env(pod.spec.containers[0], "AWS_REGION")[0]!.value).to.equal("ap-south-1");

    const noSa = fixture("pod-not-opted-in");
    const defaultSa: string[] = [];
    await reviewAdmission(wrap(noSa), {
      defaults,
      serviceAccounts: { annotations: async (ns, n) => (defaultSa.push(`${ns}/${n}`), undefined) },
    });
    expect(defaultSa).to.deep.equal(["web/default"]);
  });

  it("denies a pod that opted in itself and warns for others, when the ServiceAccount is unreadable", async () => {
    const failing: ServiceAccountLookup = {
      annotations: async () => {
        throw new IamraError({ code: "KUBERNETES_API_FAILED", message: "GET serviceaccounts answered HTTP 500" });
      },
    };
    const own = await reviewAdmission(wrap(fixture("pod-annotated")), { defaults, serviceAccounts: failing });
    expect(own.review.response.allowed).to.equal(false);
    expect(own.review.response.status).to.deep.equal({
      code: 503,
      message: "cannot read ServiceAccount payments/app: GET serviceaccounts answered HTTP 500",
    });
    const other = await reviewAdmission(wrap(fixture("pod-not-opted-in")), { defaults, serviceAccounts: failing });
    expect(other.review.response.allowed).to.equal(true);
    expect(other.review.response.warnings![0]).to.include("cannot read ServiceAccount web/default");
  });

  it("allows other kinds and operations unchanged", async () => {
    const update = fixture("pod-annotated");
    update.request.operation = "UPDATE";
    expect((await reviewAdmission(wrap(update), { defaults })).review.response).to.deep.equal({
      uid: update.request.uid,
      allowed: true,
    });
    const deployment = fixture("pod-annotated");
    deployment.request.kind = { group: "apps", version: "v1", kind: "Deployment" };
    expect((await reviewAdmission(wrap(deployment), { defaults })).outcome).to.equal("skipped");
  });

  it("throws WEBHOOK_REVIEW_INVALID for a body that is not an AdmissionReview v1 request", async () => {
    const bodies: unknown[] = [
      null,
      { kind: "Pod" },
      { apiVersion: "admission.k8s.io/v1beta1", kind: "AdmissionReview", request: { uid: "x" } },
      { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: {} },
      {
        apiVersion: "admission.k8s.io/v1",
        kind: "AdmissionReview",
        request: { uid: "x", kind: { kind: "Pod" }, operation: "CREATE", object: {} },
      },
    ];
    for (const body of bodies)
      await expectIamraError(() => reviewAdmission(body, { defaults }), "WEBHOOK_REVIEW_INVALID");
  });
});
