import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { commandSpecs } from "../../../cli/commands.js";
import { devstackCommands } from "../../../devstack/devstackCommand.js";
import { renderSettingsTable } from "../../../cli/renderSettingsTable.js";

describe("renderSettingsTable", () => {
  it("matches the README's settings section (run scripts/updateReadmeSettings.ts after changing a setting)", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
    const section = readme.slice(
      readme.indexOf("-->", readme.indexOf("<!-- settings:begin")) + 4,
      readme.indexOf("<!-- settings:end -->"),
    );
    expect(section).to.equal(
      `${renderSettingsTable(commandSpecs())}\n${renderSettingsTable(devstackCommands, "iamra-vault-devstack")}`,
    );
  });

  it("lists each setting once per command with its environment names and default", () => {
    const table = renderSettingsTable(commandSpecs());
    expect(table).to.contain("| `--vault-addr <url>` | `VAULT_ADDR` | required |");
    expect(table).to.contain("| `--trust-anchor-arn <arn>` | `IAMRA_TRUST_ANCHOR_ARN`, `ANCHOR_ARN` | required |");
    expect(table).to.contain("| `--file-mode <octal>` | `IAMRA_FILE_MODE` | `0640` |");
  });
});
