import { expect } from "chai";
import { reviewAdmission } from "../../../../lib/webhook/reviewAdmission.js";
import { buildPatch } from "../../../../lib/webhook/buildPatch.js";
import { parseInjectionConfig } from "../../../../lib/webhook/parseInjectionConfig.js";
import { MEASURED_MIB } from "../../../support/measuredFootprint.js";
import {
  again,
  byName,
  defaults,
  env,
  expectMemoryCovers,
  fixture,
  patched,
  validPod,
  wrap,
} from "./reviewAdmissionKit.js";

/** What the refresher gets for Kubernetes Events: the pod's identity from the downward API... */
const DOWNWARD_ENV = [
  { name: "IAMRA_POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
  { name: "IAMRA_POD_NAMESPACE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } } },
  { name: "IAMRA_POD_UID", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.uid" } } },
];
/** ...and the pod's API token, CA and namespace, laid out as the kubelet's automount does. */
const KUBE_API_VOLUME = {
  name: "iamra-vault-kube-api",
  projected: {
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      {
        downwardAPI: {
          items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
        },
      },
    ],
  },
};

describe("reviewAdmission", () => {
  it("injects the native sidecar, projected token, shared volume and app environment for an opted-in pod", async () => {
    const review = fixture("pod-annotated");
    const result = await reviewAdmission(wrap(review), { defaults });
    expect(result.outcome).to.equal("injected");
    expect(result.review.response).to.include({ uid: review.request.uid, allowed: true });
    const pod = patched(review, result);
    validPod(pod);

    expect(pod.metadata?.annotations).to.deep.equal({ "iamra-vault/inject": "true", "iamra-vault/status": "injected" });
    expect(pod.spec.securityContext).to.deep.equal({ fsGroup: 65532 });
    const sidecar = pod.spec.initContainers![0]!;
    expect(sidecar).to.include({ name: "iamra-vault", image: defaults.image, restartPolicy: "Always" });
    expect(sidecar.startupProbe).to.deep.include({ httpGet: { path: "/readyz", port: 9913 } });
    expect(sidecar.env).to.deep.equal([
      ...defaults.refresherEnv,
      ...DOWNWARD_ENV,
      { name: "NODE_OPTIONS", value: "--max-semi-space-size=1 --jitless" },
    ]);
    expect(sidecar.args).to.include.members([
      "refresher",
      "--sa-token-file=/var/run/secrets/iamra/token",
      "--no-write-credentials",
    ]);
    expect(sidecar.args).to.not.include("--imds");
    expect(sidecar.volumeMounts).to.deep.equal([
      { name: "iamra-vault", mountPath: "/var/run/iamra" },
      { name: "iamra-vault-token", mountPath: "/var/run/secrets/iamra", readOnly: true },
      { name: "iamra-vault-kube-api", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true },
    ]);
    expectMemoryCovers(sidecar, MEASURED_MIB.refresherSteady, MEASURED_MIB.refresherPeak);

    expect(pod.spec.volumes).to.deep.equal([
      { name: "iamra-vault", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
      {
        name: "iamra-vault-token",
        projected: { sources: [{ serviceAccountToken: { audience: "vault", expirationSeconds: 600, path: "token" } }] },
      },
      KUBE_API_VOLUME,
    ]);
    const app = byName(pod.spec.containers, "app")!;
    expect(app.env).to.deep.equal([
      { name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", value: "http://127.0.0.1:9912/credentials" },
      { name: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", value: "/var/run/iamra/endpoint-token" },
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
    ]);
    expect(app.volumeMounts).to.deep.equal([{ name: "iamra-vault", mountPath: "/var/run/iamra", readOnly: true }]);
    expect(pod.spec.containers).to.have.length(1);
  });

  it("leaves out the API token and the pod identity when Kubernetes Events are turned off", async () => {
    const review = fixture("pod-annotated");
    for (const mode of ["native", "init-and-sidecar"] as const) {
      const off = { ...defaults, mode, kubernetesEvents: false };
      const pod = patched(review, await reviewAdmission(wrap(review), { defaults: off }));
      validPod(pod);
      expect(pod.spec.volumes!.map((v) => v.name)).to.deep.equal(["iamra-vault", "iamra-vault-token"]);
      for (const c of [...pod.spec.initContainers!, ...pod.spec.containers]) {
        expect(
          c.env!.filter((e) => e.name.startsWith("IAMRA_POD_")),
          c.name,
        ).to.deep.equal([]);
      }
    }
  });

  it("mounts the Vault CA ConfigMap read-only into iamra-vault containers and points VAULT_CACERT at it", async () => {
    const review = fixture("pod-annotated");
    const vaultCa = { configMap: "vault-ca", key: "vault-ca.pem" };
    const refresherEnv = [...defaults.refresherEnv, { name: "VAULT_CACERT", value: "/etc/vault/ca.pem" }];
    for (const mode of ["native", "init-and-sidecar"] as const) {
      const withCa = { ...defaults, mode, refresherEnv, vaultCa };
      const pod = patched(review, await reviewAdmission(wrap(review), { defaults: withCa }));
      validPod(pod);
      expect(pod.spec.volumes!.find((v) => v.name === "iamra-vault-vault-ca")).to.deep.equal({
        name: "iamra-vault-vault-ca",
        configMap: { name: "vault-ca", items: [{ key: "vault-ca.pem", path: "ca.crt" }] },
      });
      const all = [...pod.spec.initContainers!, ...pod.spec.containers];
      const ours = all.filter((c) => c.name.startsWith("iamra-vault"));
      expect(ours).to.have.length(mode === "native" ? 1 : 2);
      for (const c of ours) {
        expect(env(c, "VAULT_CACERT"), c.name).to.deep.equal([
          { name: "VAULT_CACERT", value: "/var/run/secrets/iamra-vault-ca/ca.crt" },
        ]);
        expect(c.volumeMounts).to.deep.include({
          name: "iamra-vault-vault-ca",
          mountPath: "/var/run/secrets/iamra-vault-ca",
          readOnly: true,
        });
      }
      const app = byName(pod.spec.containers, "app")!;
      expect(app.volumeMounts!.map((m) => m.name)).to.deep.equal(["iamra-vault"]);
    }
  });

  it("changes nothing on a second pass, with or without the status annotation", async () => {
    for (const name of ["pod-annotated", "pod-user-settings"]) {
      const review = fixture(name);
      const first = patched(review, await reviewAdmission(wrap(review), { defaults }));
      const second = await reviewAdmission(wrap(again(review, first)), { defaults });
      expect(second.outcome, name).to.equal("skipped");
      expect(second.reason).to.equal("already injected");
      expect(second.review.response).to.deep.equal({ uid: review.request.uid, allowed: true });

      // the builders alone are idempotent too: only the status annotation would be added again
      const stripped = structuredClone(first);
      delete stripped.metadata!.annotations!["iamra-vault/status"];
      const decision = parseInjectionConfig(stripped, undefined, defaults);
      if (!decision.inject) expect.fail(`not injected: ${decision.reason}`);
      const ops = buildPatch(stripped, decision.config);
      expect(ops, name).to.deep.equal([
        { op: "add", path: "/metadata/annotations/iamra-vault~1status", value: "injected" },
      ]);
    }
  });

  it("keeps what the user set and applies the pod's annotations", async () => {
    const review = fixture("pod-user-settings");
    const before = review.request.object;
    const result = await reviewAdmission(wrap(review), { defaults });
    expect(result.outcome).to.equal("injected");
    const pod = patched(review, result);
    validPod(pod);

    expect(pod.metadata?.annotations).to.include({ "example.com/unrelated": "kept", "iamra-vault/status": "injected" });
    expect(pod.spec.securityContext).to.deep.equal(before.spec.securityContext); // fsGroup 3000 kept
    expect(pod.spec.volumes![0]).to.deep.equal({ name: "cache", emptyDir: {} });
    const token = pod.spec.volumes!.find((v) => v.name === "iamra-vault-token") as unknown as { projected: any };
    expect(token.projected.sources[0].serviceAccountToken.expirationSeconds).to.equal(3600);

    // native mode: the sidecar comes before the user's init container, which can then use the endpoint
    expect(pod.spec.initContainers!.map((c) => c.name)).to.deep.equal(["iamra-vault", "migrate"]);
    const sidecar = pod.spec.initContainers![0]!;
    expect(env(sidecar, "IAMRA_ROLE_ARN")).to.deep.equal([
      { name: "IAMRA_ROLE_ARN", value: "arn:aws:iam::111122223333:role/worker" },
    ]);
    expect(env(sidecar, "IAMRA_VAULT_ROLE")).to.deep.equal([{ name: "IAMRA_VAULT_ROLE", value: "worker" }]);
    expect(env(sidecar, "AWS_REGION")).to.deep.equal([{ name: "AWS_REGION", value: "eu-central-1" }]);
    expect(env(sidecar, "VAULT_ADDR")).to.have.length(1);
    expect(sidecar.args).to.include.members(["--imds", "--imds-port=9911"]);

    const migrate = byName(pod.spec.initContainers, "migrate")!;
    expect(env(migrate, "AWS_REGION")).to.deep.equal([{ name: "AWS_REGION", value: "us-east-1" }]);
    expect(env(migrate, "AWS_CONTAINER_CREDENTIALS_FULL_URI")).to.have.length(1);
    const app = byName(pod.spec.containers, "app")!;
    expect(app.env!.slice(0, 2)).to.deep.equal(byName(before.spec.containers, "app")!.env);
    expect(env(app, "AWS_DEFAULT_REGION")).to.deep.equal([{ name: "AWS_DEFAULT_REGION", value: "us-west-2" }]);
    expect(env(app, "AWS_REGION")).to.deep.equal([{ name: "AWS_REGION", value: "eu-central-1" }]);
    expect(env(app, "AWS_EC2_METADATA_SERVICE_ENDPOINT")).to.deep.equal([
      { name: "AWS_EC2_METADATA_SERVICE_ENDPOINT", value: "http://127.0.0.1:9911/" },
    ]);
    expect(env(app, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")).to.have.length(1);
    expect(app.volumeMounts!.map((m) => m.name)).to.deep.equal(["cache", "iamra-vault"]);
    expect(byName(pod.spec.containers, "metrics")).to.deep.equal(byName(before.spec.containers, "metrics"));
  });

  it("injects an init container and a classic sidecar listed first in init-and-sidecar mode", async () => {
    for (const how of ["setting", "annotation"] as const) {
      const review = fixture("pod-user-settings");
      const d = how === "setting" ? { ...defaults, mode: "init-and-sidecar" as const } : defaults;
      if (how === "annotation")
        review.request.object.metadata!.annotations!["iamra-vault/sidecar-mode"] = "init-and-sidecar";
      const pod = patched(review, await reviewAdmission(wrap(review), { defaults: d }));
      validPod(pod);
      expect(
        pod.spec.initContainers!.map((c) => c.name),
        how,
      ).to.deep.equal(["iamra-vault-init", "migrate"]);
      expect(pod.spec.initContainers![0]!.args).to.deep.equal([
        "init",
        "--sa-token-file=/var/run/secrets/iamra/token",
        "--output-dir=/var/run/iamra",
      ]);
      expect(pod.spec.containers.map((c) => c.name)).to.deep.equal(["iamra-vault", "app", "metrics"]);
      expect(pod.spec.containers[0]).to.not.have.any.keys("restartPolicy", "startupProbe");
      // init runs alone, then exits: its request and limit follow its own peak, not the refresher's
      expectMemoryCovers(pod.spec.initContainers![0], MEASURED_MIB.initPeak, MEASURED_MIB.initPeak);
      expectMemoryCovers(pod.spec.containers[0], MEASURED_MIB.refresherSteady, MEASURED_MIB.refresherPeak);
      // the init container wrote the credentials file; the refresher keeps it fresh
      expect(pod.spec.containers[0]!.args).to.not.include("--no-write-credentials");
      // nothing serves the endpoint while init containers run
      expect(env(byName(pod.spec.initContainers, "migrate"), "AWS_CONTAINER_CREDENTIALS_FULL_URI")).to.deep.equal([]);
      expect(env(byName(pod.spec.containers, "app"), "AWS_CONTAINER_CREDENTIALS_FULL_URI")).to.have.length(1);
    }
  });

  it("leaves out the endpoint variables with imds: only", async () => {
    const review = fixture("pod-annotated");
    review.request.object.metadata!.annotations!["iamra-vault/imds"] = "only";
    const pod = patched(review, await reviewAdmission(wrap(review), { defaults }));
    const names = pod.spec.containers[0]!.env!.map((e) => e.name);
    expect(names).to.deep.equal([
      "AWS_EC2_METADATA_SERVICE_ENDPOINT",
      "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
    ]);
    expect(pod.spec.initContainers![0]!.args).to.include("--imds");
  });
});
