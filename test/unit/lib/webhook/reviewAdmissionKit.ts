/** Test kit for reviewAdmission: AdmissionReview fixtures, injection defaults, and checks of the patched pod. */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import fastJsonPatch from "fast-json-patch";
import { Pod as PodModel } from "kubernetes-models/v1";
import type { AdmissionResult } from "../../../../lib/webhook/reviewAdmission.js";
import type { Container, Pod } from "../../../../lib/webhook/podTypes.js";
import { testInjectionDefaults } from "../../../support/injectionDefaults.js";
import { checkRestrictedProfile } from "../../../support/checkRestrictedProfile.js";
import { LIMIT_HEADROOM_MIB, mebibytes } from "../../../support/measuredFootprint.js";

/** The part of an AdmissionReview the tests build and change. */
export type Review = { request: { uid: string; object: Pod; namespace?: string; operation?: string; kind?: object } };

/** An AdmissionReview from test/fixtures/webhook/<name>.json, fresh on every call. */
export const fixture = (name: string): Review =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/webhook/${name}.json`, import.meta.url), "utf8")) as Review;

/** Injection defaults with a Vault address, an IAM role, a Vault role and a region. */
export const defaults = testInjectionDefaults([
  { name: "VAULT_ADDR", value: "https://vault.example.com:8200" },
  { name: "IAMRA_ROLE_ARN", value: "arn:aws:iam::111122223333:role/default" },
  { name: "IAMRA_VAULT_ROLE", value: "default" },
  { name: "AWS_REGION", value: "eu-west-1" },
]);

/** The pod after applying the answer's patch with fast-json-patch (validating every operation). */
export function patched(review: Review, result: AdmissionResult): Pod {
  expect(result.review.response.patchType).to.equal("JSONPatch");
  const ops = JSON.parse(Buffer.from(result.review.response.patch!, "base64").toString("utf8"));
  return fastJsonPatch.applyPatch(structuredClone(review.request.object), ops, true, false).newDocument as Pod;
}

/** Asserts the pod validates against the Kubernetes schema and the restricted Pod Security profile. */
export function validPod(pod: Pod): void {
  expect(() => new PodModel(pod as never).validate()).to.not.throw();
  expect(checkRestrictedProfile(pod.spec)).to.deep.equal([]);
}

/** The container of that name in the list. */
export const byName = (list: Container[] | undefined, name: string) => list?.find((c) => c.name === name);
/** The env entries of that name in a container. */
export const env = (c: Container | undefined, name: string) => c?.env?.filter((e) => e.name === name) ?? [];
/** The same review with the pod replaced (a second admission pass). */
export const again = (review: Review, pod: Pod): Review => ({ request: { ...review.request, object: pod } }) as Review;
/** The review as a full AdmissionReview v1 body. */
export const wrap = (review: Review) => ({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", ...review });

/** Asserts memory requests cover the measured steady RSS and limits the measured peak plus headroom. */
export function expectMemoryCovers(c: Container | undefined, steadyMib: number, peakMib: number) {
  const r = c!.resources as { requests: Record<string, string>; limits: Record<string, string> };
  expect(mebibytes(r.requests.memory!), `${c!.name} request >= steady RSS`).to.be.at.least(steadyMib);
  expect(mebibytes(r.limits.memory!), `${c!.name} limit >= peak + headroom`).to.be.at.least(
    peakMib + LIMIT_HEADROOM_MIB,
  );
}

/** Schema validation only (the fixture's app container is not restricted-compliant on its own). */
export function validPodShape(pod: Pod): void {
  expect(() => new PodModel(pod as never).validate()).to.not.throw();
}
