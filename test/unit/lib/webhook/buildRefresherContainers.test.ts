import { expect } from "chai";
import { readFileSync } from "node:fs";
import fastJsonPatch from "fast-json-patch";
import { reviewAdmission } from "../../../../lib/webhook/reviewAdmission.js";
import { testInjectionDefaults } from "../../../support/injectionDefaults.js";
import type { Container, Pod } from "../../../../lib/webhook/podTypes.js";

const defaults = testInjectionDefaults([
  { name: "VAULT_ADDR", value: "https://vault.example.com:8200" },
  { name: "IAMRA_ROLE_ARN", value: "arn:aws:iam::111122223333:role/default" },
  { name: "IAMRA_VAULT_ROLE", value: "default" },
]);

const fixture = (name: string): { request: { uid: string; object: Pod } } =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/webhook/${name}.json`, import.meta.url), "utf8"));

const nodeOptions = (c: Container) => (c.env ?? []).filter((e) => e.name === "NODE_OPTIONS").map((e) => e.value);

describe("buildRefresherContainer", () => {
  it("gives the refresher --jitless in NODE_OPTIONS and no other container of the pod a NODE_OPTIONS", async () => {
    for (const mode of ["native", "init-and-sidecar"] as const) {
      const review = fixture("pod-user-settings");
      const result = await reviewAdmission(
        { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", ...review },
        { defaults: { ...defaults, mode } },
      );
      expect(result.outcome, mode).to.equal("injected");
      const ops = JSON.parse(Buffer.from(result.review.response.patch!, "base64").toString("utf8"));
      const pod = fastJsonPatch.applyPatch(structuredClone(review.request.object), ops, true, false).newDocument as Pod;
      const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
      const flagged = all.map((c) => [c.name, ...nodeOptions(c)]).filter((entry) => entry.length > 1);
      // the user's init container, the app and its neighbour keep the image's NODE_OPTIONS; so does iamra-vault-init
      expect(flagged, mode).to.deep.equal([["iamra-vault", "--max-semi-space-size=1 --jitless"]]);
      expect(all.length, mode).to.be.at.least(mode === "native" ? 3 : 4);
    }
  });
});
