import { expect } from "chai";
import { commandSpecs } from "../../../cli/commands.js";
import type { CommandSpec } from "../../../cli/commandSpec.js";
import { leanCommands } from "../../../cli/leanCommands.js";

describe("leanCommands", () => {
  it("loads the same spec as commandSpecs() for every command name, and no other name", async () => {
    const specs = commandSpecs();
    expect(Object.keys(leanCommands).sort()).to.deep.equal(specs.map((s) => s.name).sort());
    // compared by what the CLI reads (a test loader may hand out a second copy of a dynamically imported module)
    const shape = (c: CommandSpec) => ({
      name: c.name,
      summary: c.summary,
      settings: c.settings.map((x) => x.flag),
      logToStderr: c.logToStderr,
      defaultLogLevel: c.defaultLogLevel,
      exitWhenDone: c.exitWhenDone,
      args: c.args,
      subcommands: c.subcommands?.map((x) => x.name),
      run: typeof c.run,
    });
    for (const s of specs) expect(shape(await leanCommands[s.name]!()), s.name).to.deep.equal(shape(s));
  });
});
