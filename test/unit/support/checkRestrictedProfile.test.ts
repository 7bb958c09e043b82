import { expect } from "chai";
import { checkRestrictedProfile } from "../../support/checkRestrictedProfile.js";

const goodContainer = () => ({
  name: "c",
  image: "x",
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
});
const goodPod = () => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  containers: [goodContainer()],
  volumes: [{ name: "v", emptyDir: {} }],
});

describe("checkRestrictedProfile", () => {
  it("accepts a pod that sets every restricted field", () => {
    expect(checkRestrictedProfile(goodPod())).to.deep.equal([]);
  });

  const cases: Array<[string, (p: any) => void, string]> = [
    ["hostNetwork", (p) => (p.hostNetwork = true), "pod sets hostNetwork"],
    ["hostPath volume", (p) => p.volumes.push({ name: "h", hostPath: { path: "/" } }), "volume h has type hostPath"],
    [
      "privilege escalation",
      (p) => delete p.containers[0].securityContext.allowPrivilegeEscalation,
      "allowPrivilegeEscalation",
    ],
    ["no runAsNonRoot", (p) => delete p.securityContext.runAsNonRoot, "does not run as non-root"],
    ["root user", (p) => (p.containers[0].securityContext.runAsUser = 0), "runAsUser is 0"],
    ["no seccomp", (p) => delete p.securityContext.seccompProfile, "no RuntimeDefault or Localhost seccompProfile"],
    [
      "unconfined seccomp",
      (p) => (p.containers[0].securityContext.seccompProfile = { type: "Unconfined" }),
      "seccompProfile",
    ],
    ["capabilities kept", (p) => (p.containers[0].securityContext.capabilities = {}), "does not drop ALL"],
    [
      "capability added",
      (p) => (p.containers[0].securityContext.capabilities.add = ["NET_ADMIN"]),
      "adds capability NET_ADMIN",
    ],
    ["privileged", (p) => (p.containers[0].securityContext.privileged = true), "is privileged"],
    ["hostPort", (p) => (p.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]), "uses hostPort 80"],
    ["init container", (p) => (p.initContainers = [{ name: "i", image: "x" }]), "initContainer i"],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`reports ${name}`, () => {
      const pod = goodPod();
      mutate(pod);
      const problems = checkRestrictedProfile(pod);
      expect(problems.join("\n")).to.include(expected);
    });
  }
});
