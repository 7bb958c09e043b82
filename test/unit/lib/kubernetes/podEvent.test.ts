import { expect } from "chai";
import { buildPodEvent, microTime, truncateUtf8 } from "../../../../lib/kubernetes/podEvent.js";
import { validateEventModel } from "../../../support/eventsApi.js";
import { eventCreateProblems } from "../../../../devstack/kubernetes/eventRules.js";

describe("buildPodEvent", () => {
  const content = { type: "Warning" as const, reason: "CredentialsFailed", action: "ObtainCredentials", note: "x" };

  it("builds an events.k8s.io/v1 Event about the pod that the schema and the API server's rules accept", () => {
    const e = buildPodEvent({ name: "app-1", namespace: "ns", uid: "u-1" }, content, {
      instance: "init@app-1",
      nowMs: Date.parse("2025-01-02T03:04:05.678Z"),
      suffix: "abc",
    });
    expect(() => validateEventModel(e)).to.not.throw();
    expect(eventCreateProblems(e, "ns")).to.deep.equal([]);
    expect(e.metadata).to.deep.equal({ name: "app-1.abc", namespace: "ns" });
    expect(e.eventTime).to.equal("2025-01-02T03:04:05.678000Z");
    expect(e.regarding).to.deep.equal({ apiVersion: "v1", kind: "Pod", name: "app-1", namespace: "ns", uid: "u-1" });
  });

  it("keeps a long pod name, instance and note within the API server's limits", () => {
    const name = `a${"b".repeat(252)}`;
    const e = buildPodEvent(
      { name, namespace: "ns" },
      { ...content, note: "€".repeat(600) },
      {
        instance: `refresher@${name}`,
        nowMs: 0,
      },
    );
    expect(eventCreateProblems(e, "ns")).to.deep.equal([]);
    expect(e.metadata.name.length).to.equal(253);
    expect(e.reportingInstance.length).to.equal(128);
    expect(Buffer.byteLength(e.note)).to.be.at.most(1024);
    expect(e.note.endsWith("…")).to.equal(true);
    expect(e.regarding).to.not.have.property("uid");
  });

  it("never ends the cut name in a dash", () => {
    const name = `${"a".repeat(235)}-${"b".repeat(17)}`; // the cut falls right after the dash
    const suffix = "0123456789abcdef";
    const e = buildPodEvent({ name, namespace: "ns" }, content, { instance: "i", nowMs: 0, suffix });
    expect(eventCreateProblems(e, "ns")).to.deep.equal([]);
    expect(e.metadata.name).to.equal(`${"a".repeat(235)}.0123456789abcdef`);
  });
});

describe("truncateUtf8 / microTime", () => {
  it("cuts between characters and leaves short text alone", () => {
    expect(truncateUtf8("héllo", 100)).to.equal("héllo");
    expect(truncateUtf8("ééééé", 7)).to.equal("éé…"); // 2+2 bytes + 3 for the ellipsis
  });
  it("writes six fractional digits", () => {
    expect(microTime(Date.parse("2025-01-01T00:00:00.001Z"))).to.equal("2025-01-01T00:00:00.001000Z");
  });
});
