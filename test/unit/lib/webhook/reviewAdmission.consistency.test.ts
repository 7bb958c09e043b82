import { expect } from "chai";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { reviewAdmission } from "../../../../lib/webhook/reviewAdmission.js";
import type { Container } from "../../../../lib/webhook/podTypes.js";
import { refresherCommand } from "../../../../refresher/refresherCommand.js";
import { initCommand } from "../../../../init/initCommand.js";
import { defaults, fixture, patched, wrap } from "./reviewAdmissionKit.js";

describe("reviewAdmission", () => {
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
