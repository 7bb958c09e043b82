import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderErrorCodeTable } from "../../../lib/renderErrorCodeTable.js";
import type { ErrorCodeEntry } from "../../../lib/errorCodes.js";

describe("renderErrorCodeTable", () => {
  it("matches the README's troubleshooting section (run scripts/updateReadmeSettings.ts after changing a code)", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
    const begin = readme.indexOf("<!-- errors:begin");
    const section = readme.slice(readme.indexOf("-->", begin) + 4, readme.indexOf("<!-- errors:end -->"));
    expect(begin).to.be.above(0);
    expect(section).to.equal(renderErrorCodeTable());
  });

  it("writes one table per group in catalogue order, with exit codes and escaped pipes", () => {
    const codes: Record<string, ErrorCodeEntry> = {
      B_CODE: { group: "vault", exitCodes: [1], meaning: "vault said no", hint: "ask again" },
      A_CODE: { group: "config", exitCodes: [1, 2], meaning: "a | b", hint: "fix it" },
    };
    expect(renderErrorCodeTable(codes)).to.equal(
      [
        "#### Configuration and usage\n",
        "| code | exit | usually means | what to do |",
        "|---|---|---|---|",
        "| `A_CODE` | 1 or 2 | a \\| b | fix it |",
        "",
        "#### Vault\n",
        "| code | exit | usually means | what to do |",
        "|---|---|---|---|",
        "| `B_CODE` | 1 | vault said no | ask again |",
        "",
      ].join("\n"),
    );
  });
});
