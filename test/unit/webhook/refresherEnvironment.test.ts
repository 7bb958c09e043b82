import { expect } from "chai";
import { REFRESHER_SETTING_GROUPS, refresherEnvironment } from "../../../webhook/refresherEnvironment.js";
import { refresherCommand } from "../../../refresher/refresherCommand.js";

describe("refresherEnvironment", () => {
  it("reads the same environment names as the refresher command", () => {
    const names = (settings: readonly { env?: readonly string[] }[]) => new Set(settings.flatMap((s) => s.env ?? []));
    expect(names(REFRESHER_SETTING_GROUPS)).to.deep.equal(
      names(refresherCommand.settings.filter((s) => s.key !== "debug")),
    );
  });

  it("passes refresher settings on, in schema order, and nothing else", () => {
    const env = {
      AWS_REGION: "eu-west-1",
      VAULT_ADDR: "https://vault.example.com:8200",
      IAMRA_TRUST_ANCHOR_ARN: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/x",
      ROLE_ARN: "arn:aws:iam::111122223333:role/app",
      IAMRA_MIN_VALIDITY: "20m",
      IAMRA_PKI_ROLE: "",
      VAULT_TOKEN: "s.secret",
      HOME: "/home/webhook",
      KUBERNETES_SERVICE_HOST: "10.0.0.1",
      IAMRA_WEBHOOK_SIDECAR_IMAGE: "iamra-vault:1",
      IAMRA_OUTPUT_DIR: "/elsewhere",
      IAMRA_ENDPOINT_PORT: "1234",
    };
    expect(refresherEnvironment(env)).to.deep.equal([
      { name: "VAULT_ADDR", value: "https://vault.example.com:8200" },
      { name: "IAMRA_TRUST_ANCHOR_ARN", value: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/x" },
      { name: "ROLE_ARN", value: "arn:aws:iam::111122223333:role/app" },
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "IAMRA_MIN_VALIDITY", value: "20m" },
    ]);
  });
});
