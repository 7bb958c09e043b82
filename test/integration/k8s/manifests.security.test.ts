import { expect } from "chai";
import { posix } from "node:path";
import { containersOf, flagValue, isIamraVault, mountFor, type K8sObject } from "./k8sManifestKit.js";
import { EXAMPLES, exampleViews, helpOf, readCliHelpFirst } from "./manifestExamples.js";
import { LIMIT_HEADROOM_MIB, MEASURED_MIB, mebibytes } from "../../support/measuredFootprint.js";

describe("k8s manifests (kubectl kustomize + kubernetes-models)", function () {
  this.timeout(60_000);
  readCliHelpFirst();

  for (const name of EXAMPLES) {
    describe(name, () => {
      const { ex, each, iamra } = exampleViews(name);

      it("hardens every container and gives it requests and limits", () => {
        each((c) => {
          const sc = c.securityContext ?? {};
          const where = `container ${c.name}`;
          expect(sc.runAsNonRoot, `${where} runAsNonRoot`).to.equal(true);
          expect(sc.runAsUser, `${where} runAsUser`).to.be.a("number").above(0);
          expect(sc.readOnlyRootFilesystem, `${where} readOnlyRootFilesystem`).to.equal(true);
          expect(sc.allowPrivilegeEscalation, `${where} allowPrivilegeEscalation`).to.equal(false);
          expect(sc.privileged ?? false, `${where} privileged`).to.equal(false);
          expect(sc.capabilities?.drop, `${where} capabilities.drop`).to.deep.equal(["ALL"]);
          expect(sc.capabilities?.add ?? [], `${where} capabilities.add`).to.deep.equal([]);
          expect(sc.seccompProfile?.type, `${where} seccompProfile`).to.equal("RuntimeDefault");
          for (const kind of ["requests", "limits"]) {
            expect(c.resources?.[kind], `${where} resources.${kind}`).to.include.keys("cpu", "memory");
          }
        });
      });

      it("sizes iamra-vault memory by the measurements: requests >= steady RSS, limits >= peak + headroom", () => {
        expect(iamra().length, "iamra-vault containers").to.be.greaterThan(0);
        for (const { c } of iamra()) {
          const refresher = c.args?.[0] === "refresher";
          expect(refresher || c.args?.[0] === "init", `${c.name} runs init or refresher`).to.equal(true);
          // a postStart exec hook is one more Node process in the same container while it polls
          const hook = c.lifecycle?.postStart?.exec ? MEASURED_MIB.postStartHookPeak : 0;
          const steady = refresher ? MEASURED_MIB.refresherSteady : MEASURED_MIB.initPeak;
          const peak = (refresher ? MEASURED_MIB.refresherPeak : MEASURED_MIB.initPeak) + hook;
          const memory = (kind: string) => mebibytes(String(c.resources?.[kind]?.memory));
          expect(memory("requests"), `${c.name} request`).to.be.at.least(steady);
          expect(memory("limits"), `${c.name} limit`).to.be.at.least(peak + LIMIT_HEADROOM_MIB);
        }
      });

      it("runs pods non-root with an fsGroup, RuntimeDefault seccomp and no automounted API token", () => {
        for (const { spec } of ex().workloads) {
          expect(spec.securityContext?.runAsNonRoot).to.equal(true);
          expect(spec.securityContext?.fsGroup).to.be.a("number").above(0);
          expect(spec.securityContext?.seccompProfile?.type).to.equal("RuntimeDefault");
          expect(spec.automountServiceAccountToken).to.equal(false);
          const sa = ex().objects.find(
            (o) => o.kind === "ServiceAccount" && o.metadata.name === spec.serviceAccountName,
          );
          expect(sa, `ServiceAccount ${spec.serviceAccountName}`).to.not.equal(undefined);
        }
      });

      it("lets iamra-vault write Events: RBAC for its ServiceAccount, its own API token and the pod's identity", () => {
        const role = ex().objects.find((o) => o.kind === "Role" && o.metadata.name === "iamra-vault-events");
        expect(role?.rules).to.deep.equal([
          { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["create", "patch"] },
        ]);
        for (const { spec } of ex().workloads) {
          const binding = ex().objects.find((o) => o.kind === "RoleBinding" && o.roleRef.name === role!.metadata.name);
          expect(binding?.subjects).to.deep.equal([{ kind: "ServiceAccount", name: spec.serviceAccountName }]);
          const volumes = new Map(((spec.volumes ?? []) as K8sObject[]).map((v) => [v.name as string, v]));
          for (const { c } of containersOf(spec)) {
            const h = isIamraVault(c) ? helpOf(c) : undefined;
            const tokenFile = h
              ? flagValue(c.args, "--kubernetes-token-file", h)!
              : "/var/run/secrets/kubernetes.io/serviceaccount/token";
            const mount = mountFor(c, tokenFile);
            if (!isIamraVault(c)) {
              expect(mount, `${c.name} must not see an API token`).to.equal(undefined);
              continue;
            }
            expect(mount?.readOnly, `${c.name} API token mount`).to.equal(true);
            const sources = (volumes.get(mount!.name)?.projected?.sources ?? []) as K8sObject[];
            const token = sources.find((x) => x.serviceAccountToken)?.serviceAccountToken;
            expect(token?.audience, "the API server's own audience").to.equal(undefined);
            expect(posix.join(mount!.mountPath, token.path)).to.equal(tokenFile);
            const ca = sources.find((x) => x.configMap)?.configMap;
            const caFile = flagValue(c.args, "--kubernetes-ca-file", h);
            expect(posix.join(mount!.mountPath, ca.items[0].path)).to.equal(caFile);
            const fields = Object.fromEntries(
              ((c.env ?? []) as K8sObject[])
                .filter((e) => e.valueFrom?.fieldRef)
                .map((e) => [e.name, e.valueFrom.fieldRef.fieldPath]),
            );
            expect(fields).to.deep.equal({
              IAMRA_POD_NAME: "metadata.name",
              IAMRA_POD_NAMESPACE: "metadata.namespace",
              IAMRA_POD_UID: "metadata.uid",
            });
          }
        }
      });

      it("logs in to Vault with a short-lived projected token that has an audience, mounted only there", () => {
        for (const { spec } of ex().workloads) {
          const volumes = new Map(((spec.volumes ?? []) as K8sObject[]).map((v) => [v.name as string, v]));
          for (const { c } of containersOf(spec).filter(({ c }) => isIamraVault(c))) {
            if (flagValue(c.args, "--identity-source", helpOf(c)) === "files") continue;
            const tokenFile = flagValue(c.args, "--sa-token-file");
            expect(tokenFile, `${c.name} --sa-token-file`).to.be.a("string");
            const mount = mountFor(c, tokenFile!);
            expect(mount?.readOnly, `${c.name} token mount read-only`).to.equal(true);
            const source = volumes.get(mount!.name)?.projected?.sources?.find((s: K8sObject) => s.serviceAccountToken);
            expect(source?.serviceAccountToken.audience, "token audience").to.be.a("string").and.not.equal("");
            expect(source?.serviceAccountToken.expirationSeconds).to.be.within(600, 3600);
            expect(posix.join(mount!.mountPath, source!.serviceAccountToken.path)).to.equal(tokenFile);
            for (const { c: other } of containersOf(spec).filter(({ c }) => !isIamraVault(c))) {
              expect(
                ((other.volumeMounts ?? []) as K8sObject[]).map((m) => m.name),
                `${other.name} sees the Vault login token`,
              ).to.not.include(mount!.name);
            }
          }
        }
      });
    });
  }
});
