import { expect } from "chai";
import { rolesAnywhereEndpoint, type EndpointChoice } from "../../../../lib/rolesanywhere/rolesAnywhereEndpoint.js";
import { defaultEndpoint } from "../../../../lib/rolesanywhere/arn.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("rolesAnywhereEndpoint", () => {
  const cases: Array<[region: string, fips: boolean, dualStack: boolean, want: string]> = [
    ["eu-west-1", false, false, "https://rolesanywhere.eu-west-1.amazonaws.com"],
    ["us-east-1", true, false, "https://rolesanywhere-fips.us-east-1.amazonaws.com"],
    ["us-east-2", true, false, "https://rolesanywhere-fips.us-east-2.amazonaws.com"],
    ["us-west-1", true, false, "https://rolesanywhere-fips.us-west-1.amazonaws.com"],
    ["us-west-2", true, false, "https://rolesanywhere-fips.us-west-2.amazonaws.com"],
    ["us-gov-west-1", true, false, "https://rolesanywhere-fips.us-gov-west-1.amazonaws.com"],
    ["us-gov-east-1", false, false, "https://rolesanywhere.us-gov-east-1.amazonaws.com"],
    ["eu-west-1", false, true, "https://rolesanywhere.eu-west-1.api.aws"],
    ["us-east-1", true, true, "https://rolesanywhere-fips.us-east-1.api.aws"],
    ["cn-north-1", false, false, "https://rolesanywhere.cn-north-1.amazonaws.com.cn"],
    ["cn-north-1", false, true, "https://rolesanywhere.cn-north-1.api.amazonwebservices.com.cn"],
    ["eu-west-1", true, false, "FIPS_ENDPOINT_UNAVAILABLE"],
    ["ca-central-1", true, false, "FIPS_ENDPOINT_UNAVAILABLE"],
    ["ap-southeast-2", true, true, "FIPS_ENDPOINT_UNAVAILABLE"],
    ["cn-north-1", true, false, "FIPS_ENDPOINT_UNAVAILABLE"],
  ];
  for (const [region, useFips, useDualStack, want] of cases) {
    it(`gives ${want} for ${region}${useFips ? " with FIPS" : ""}${useDualStack ? " dual-stack" : ""}`, async () => {
      const choice: EndpointChoice = { region, useFips, useDualStack };
      if (want.startsWith("https://")) {
        expect(rolesAnywhereEndpoint(choice)).to.equal(want);
      } else {
        const err = await expectIamraError(() => rolesAnywhereEndpoint(choice), want);
        expect(err.message).to.include(`"${region}"`);
        expect(err.hint).to.match(/AWS_USE_FIPS_ENDPOINT/);
      }
    });
  }

  it("lets an explicit endpoint win over FIPS and dual-stack, even in a region without FIPS", () => {
    const endpoint = "http://127.0.0.1:4566";
    expect(rolesAnywhereEndpoint({ region: "eu-west-1", useFips: true, useDualStack: true, endpoint })).to.equal(
      endpoint,
    );
  });

  it("agrees with defaultEndpoint when neither variant is asked for", () => {
    expect(defaultEndpoint("sa-east-1")).to.equal(
      rolesAnywhereEndpoint({ region: "sa-east-1", useFips: false, useDualStack: false }),
    );
  });
});
