import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveCommandConfig } from "../../../cli/resolveCommandConfig.js";
import { setting } from "../../../lib/config/setting.js";
import { intParser, parseNonEmpty } from "../../../lib/config/parsers.js";
import { exitCodeFor, isConfigError, type ConfigError } from "../../../lib/errors.js";
import { initCommand } from "../../../init/initCommand.js";

const settings = [
  setting({
    key: "caFile",
    flag: "--ca-file <file>",
    env: ["X_CA"],
    description: "ca",
    parse: parseNonEmpty,
    mustExist: "file",
  }),
  setting({ key: "caDir", flag: "--ca-dir <dir>", description: "dir", parse: parseNonEmpty, mustExist: "directory" }),
  setting({ key: "attempts", flag: "--attempts <n>", default: 3, description: "n", parse: intParser(1, 9) }),
  setting({ key: "role", flag: "--role <r>", description: "r", parse: parseNonEmpty }),
];

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (isConfigError(err)) return err;
    throw err;
  }
  throw new Error("no ConfigError");
}

describe("resolveCommandConfig", () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-config-"));
    file = join(dir, "ca.pem");
    await writeFile(file, "x");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("returns the typed values when every setting resolves, every named file is readable and the rules pass", () => {
    const spec = { settings, validate: () => [] };
    const v = resolveCommandConfig(spec, { flags: { caFile: file, caDir: dir }, env: {} });
    expect(v).to.deep.equal({ caFile: file, caDir: dir, attempts: 3 });
  });

  it("reports a bad value and every unreadable file in one ConfigError (exit 2), naming each", () => {
    const missing = join(dir, "missing.pem");
    const err = failure(() =>
      resolveCommandConfig({ settings }, { flags: { attempts: "0", caDir: file }, env: { X_CA: missing } }),
    );
    expect(exitCodeFor(err)).to.equal(2);
    expect(err.code).to.equal("CONFIG_INVALID"); // mixed codes: each message names its own
    expect(err.problems).to.have.length(3);
    expect(err.problems[0]).to.contain("--attempts").and.contain("outside 1..9");
    expect(err.problems[1])
      .to.contain(`--ca-file ($X_CA) ${missing} cannot be read (ENOENT)`)
      .and.contain("[SETTING_FILE_UNREADABLE]");
    expect(err.problems[2]).to.contain(`--ca-dir ${file} is not a directory`);
  });

  it("gives one unreadable file its own code and hint", () => {
    const err = failure(() => resolveCommandConfig({ settings }, { flags: { caFile: dir }, env: {} }));
    expect(err.code).to.equal("SETTING_FILE_UNREADABLE");
    expect(err.problems).to.deep.equal([`--ca-file ($X_CA) ${dir} is a directory, not a file`]);
    expect(err.hint).to.contain("check the path");
  });

  it("runs the command's rules once the settings resolved, and reports all their problems", () => {
    let calls = 0;
    const spec = {
      settings,
      validate: (v: { role?: string }) => {
        calls++;
        return v.role
          ? []
          : [{ message: "--role is needed here" }, { message: "and another", code: "ARN_INVALID" as const }];
      },
    };
    const err = failure(() => resolveCommandConfig(spec, { flags: {}, env: {} }));
    expect(calls).to.equal(1);
    expect(err.problems).to.deep.equal(["--role is needed here", "and another [ARN_INVALID]"]);
    expect(() => resolveCommandConfig(spec, { flags: { attempts: "x" }, env: {} })).to.throw(/whole number/);
    expect(calls, "rules do not run on unresolved settings").to.equal(1);
  });

  it("reports init's missing role, bad ARN and unreadable VAULT_CACERT at once, before anything runs", () => {
    const env = {
      VAULT_ADDR: "http://127.0.0.1:1",
      IAMRA_TRUST_ANCHOR_ARN: "arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/1",
      IAMRA_PROFILE_ARN: "arn:aws:rolesanywhere:us-east-1:000000000000:profile/2",
      IAMRA_ROLE_ARN: "not-an-arn",
      VAULT_CACERT: join(dir, "none.pem"),
    };
    const err = failure(() => resolveCommandConfig(initCommand, { flags: {}, env }));
    expect(exitCodeFor(err)).to.equal(2);
    expect(err.problems).to.have.length(3);
    expect(err.problems[0]).to.contain("VAULT_CACERT").and.contain("[SETTING_FILE_UNREADABLE]");
    expect(err.problems[1]).to.contain("--vault-role");
    expect(err.problems[2]).to.contain("not-an-arn").and.contain("[ARN_INVALID]");
  });
});
