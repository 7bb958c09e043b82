import type { EnvVar } from "../../lib/webhook/podTypes.js";
import type { InjectionDefaults } from "../../lib/webhook/parseInjectionConfig.js";

/**
 * The webhook's injection defaults used by the tests (native sidecar, audience vault, eu-west-1), with `refresherEnv`.
 */
export function testInjectionDefaults(refresherEnv: EnvVar[]): InjectionDefaults {
  return {
    annotationPrefix: "iamra-vault",
    image: "registry.example.com/iamra-vault:0.1.0",
    mode: "native",
    audience: "vault",
    tokenExpirationSeconds: 600,
    region: "eu-west-1",
    fsGroup: 65532,
    refresherEnv,
  };
}
