import { expect } from "chai";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import fastJsonPatch from "fast-json-patch";
import { Pod as PodModel } from "kubernetes-models/v1";
import { reviewAdmission, type AdmissionResult } from "../../../../lib/webhook/reviewAdmission.js";
import { buildPatch } from "../../../../lib/webhook/buildPatch.js";
import { parseInjectionConfig } from "../../../../lib/webhook/parseInjectionConfig.js";
import { testInjectionDefaults } from "../../../support/injectionDefaults.js";
import type { Container, Pod } from "../../../../lib/webhook/podTypes.js";
import type { ServiceAccountLookup } from "../../../../lib/webhook/serviceAccountLookup.js";
import { IamraError } from "../../../../lib/errors.js";
import { refresherCommand } from "../../../../refresher/refresherCommand.js";
import { initCommand } from "../../../../init/initCommand.js";
import { checkRestrictedProfile } from "../../../support/checkRestrictedProfile.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { LIMIT_HEADROOM_MIB, MEASURED_MIB, mebibytes } from "../../../support/measuredFootprint.js";

type Review = { request: { uid: string; object: Pod; namespace?: string; operation?: string; kind?: object } };

const fixture = (name: string): Review =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/webhook/${name}.json`, import.meta.url), "utf8")) as Review;

const defaults = testInjectionDefaults([
  { name: "VAULT_ADDR", value: "https://vault.example.com:8200" },
  { name: "IAMRA_ROLE_ARN", value: "arn:aws:iam::111122223333:role/default" },
  { name: "IAMRA_VAULT_ROLE", value: "default" },
  { name: "AWS_REGION", value: "eu-west-1" },
]);

/** The pod after applying the answer's patch with fast-json-patch (validating every operation). */
function patched(review: Review, result: AdmissionResult): Pod {
  expect(result.review.response.patchType).to.equal("JSONPatch");
  const ops = JSON.parse(Buffer.from(result.review.response.patch!, "base64").toString("utf8"));
  return fastJsonPatch.applyPatch(structuredClone(review.request.object), ops, true, false).newDocument as Pod;
}

function validPod(pod: Pod): void {
  expect(() => new PodModel(pod as never).validate()).to.not.throw();
  expect(checkRestrictedProfile(pod.spec)).to.deep.equal([]);
}

const byName = (list: Container[] | undefined, name: string) => list?.find((c) => c.name === name);
const env = (c: Container | undefined, name: string) => c?.env?.filter((e) => e.name === name) ?? [];
const again = (review: Review, pod: Pod): Review => ({ request: { ...review.request, object: pod } }) as Review;
const wrap = (review: Review) => ({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", ...review });

/** Asserts memory requests cover the measured steady RSS and limits the measured peak plus headroom. */
function expectMemoryCovers(c: Container | undefined, steadyMib: number, peakMib: number) {
  const r = c!.resources as { requests: Record<string, string>; limits: Record<string, string> };
  expect(mebibytes(r.requests.memory!), `${c!.name} request >= steady RSS`).to.be.at.least(steadyMib);
  expect(mebibytes(r.limits.memory!), `${c!.name} limit >= peak + headroom`).to.be.at.least(
    peakMib + LIMIT_HEADROOM_MIB,
  );
}

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

  it("injects the refresher and app environment of the hand-written native-sidecar example", async () => {
    const example = parseYaml(
      readFileSync(new URL("../../../../k8s/examples/native-sidecar/deployment.yaml", import.meta.url), "utf8"),
    ).spec.template.spec as { initContainers: Container[]; containers: Container[]; volumes: any[] };
    const review = fixture("pod-annotated");
    const pod = patched(review, await reviewAdmission(wrap(review), { defaults }));
    const written = example.initContainers[0]!;
    const injected = pod.spec.initContainers![0]!;
    expect(injected.args).to.deep.equal(written.args);
    expect(injected.restartPolicy).to.equal(written.restartPolicy);
    expect(injected.securityContext).to.deep.equal(written.securityContext);
    for (const probe of ["startupProbe", "livenessProbe"]) {
      const { httpGet, ...timing } = written[probe] as { httpGet: { path: string } };
      expect(injected[probe], probe).to.deep.include({ ...timing, httpGet: { path: httpGet.path, port: 9913 } });
    }
    const appEnv = (c: Container) => c.env!.filter((e) => e.name.startsWith("AWS_CONTAINER_"));
    expect(appEnv(pod.spec.containers[0]!)).to.deep.equal(appEnv(example.containers[0]!));
    const token = (volumes: any[]) => volumes.find((v) => v.projected)?.projected;
    expect(token(pod.spec.volumes!)).to.deep.equal(token(example.volumes));
    expect(pod.spec.volumes!.find((v) => v.emptyDir)?.emptyDir).to.deep.equal(example.volumes[0].emptyDir);
  });

  it("gives the iamra-vault containers only flags their commands define", async () => {
    const review = fixture("pod-user-settings");
    for (const mode of ["native", "init-and-sidecar"] as const) {
      const pod = patched(review, await reviewAdmission(wrap(review), { defaults: { ...defaults, mode } }));
      for (const c of [...pod.spec.initContainers!, ...pod.spec.containers].filter((x) =>
        x.name.startsWith("iamra-vault"),
      )) {
        const args = c.args as string[];
        const spec = args[0] === "refresher" ? refresherCommand : initCommand;
        expect(args[0]).to.be.oneOf(["refresher", "init"]);
        const known = new Set(spec.settings.map((s) => s.flag.split(/[ ,]/)[0]));
        for (const flag of args.slice(1).map((a) => a.split("=")[0]!))
          expect(known, `${args[0]} ${flag}`).to.include(flag);
      }
    }
  });
});

/** Schema validation only (the fixture's app container is not restricted-compliant on its own). */
function validPodShape(pod: Pod): void {
  expect(() => new PodModel(pod as never).validate()).to.not.throw();
}
