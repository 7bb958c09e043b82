import { expect } from "chai";
import { CommanderError, type Command } from "commander";
import { buildProgram, flagsGiven } from "../../../cli/buildProgram.js";
import { commandSpecs } from "../../../cli/commands.js";
import type { CommandSpec } from "../../../cli/commandSpec.js";
import { parseCommandArgs } from "../../../cli/parseCommandArgs.js";
import { setting } from "../../../lib/config/setting.js";

type Outcome = { ran: { flags: Record<string, unknown>; args: string[] } } | { exitCode: number; code: string };

/** What the commander program makes of argv: the flags and positionals it runs the command with, or its exit. */
async function commanderOutcome(argv: string[]): Promise<Outcome> {
  let ran: Outcome | undefined;
  const onRun = async (spec: CommandSpec, cmd: Command) => {
    ran = { ran: { flags: flagsGiven(cmd, spec.settings), args: cmd.args } };
  };
  const program = buildProgram(commandSpecs(), onRun, { name: "iamra-vault", description: "test", version: "0.0.0" });
  const quiet = { writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined };
  for (const c of [program, ...program.commands]) c.exitOverride().configureOutput(quiet);
  try {
    await program.parseAsync(["node", "iamra-vault", ...argv]);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return { exitCode: err.exitCode, code: err.code };
  }
  return ran!;
}

function spec(name: string): CommandSpec {
  return commandSpecs().find((s) => s.name === name)!;
}

const cp = "credential-process";
/** [command, arguments after it, whether the lean parser takes the call (else commander handles it)]. */
const cases: Array<[string, string[], boolean]> = [
  [cp, [], true],
  [
    cp,
    [
      "--certificate",
      "/c.pem",
      "--private-key",
      "/k.pem",
      "--trust-anchor-arn",
      "arn:a",
      "--profile-arn",
      "arn:p",
      "--role-arn",
      "arn:r",
      "--endpoint",
      "http://127.0.0.1:1",
    ],
    true,
  ],
  [cp, ["--certificate=/c.pem", "--role-arn=arn:aws:iam::1:role/x=y"], true],
  [cp, ["--endpoint="], true],
  [cp, ["--role-arn", "a", "--role-arn", "b"], true],
  [cp, ["--role-arn", "-x"], true],
  [cp, ["--role-arn", "--debug"], true],
  [cp, ["--no-verify-ssl", "--with-proxy", "--debug", "--debug"], true],
  [cp, ["--session-duration", "900", "--no-verify-ssl"], true],
  ["init", ["--output-dir", "/out", "--no-write-credentials", "--no-kubernetes-events", "--write-process-json"], true],
  ["init", ["--vault-addr", "http://v", "--cert-ttl=1h", "--output-dir", "/a", "--output-dir", "/b"], true],
  ["refresher", ["--imds", "--no-credentials-endpoint"], true],
  ["webhook", ["--port", "8443"], true],
  [cp, ["--bogus"], false],
  [cp, ["--vault-addr", "http://v"], false],
  [cp, ["--role-arn"], false],
  [cp, ["--debug=true"], false],
  [cp, ["--no-verify-ssl=1"], false],
  [cp, ["extra"], false],
  [cp, ["-5"], false],
  [cp, ["-"], false],
  [cp, ["--help"], false],
  [cp, ["-h"], false],
  [cp, ["--role-arn", "--help"], false],
  [cp, ["--version"], false],
  [cp, ["--"], false],
  [cp, ["--", "x"], false],
  [cp, ["--ROLE-ARN", "x"], false],
  ["init", ["--output-dir"], false],
  ["init", ["-o", "/x"], false],
];

describe("parseCommandArgs", () => {
  for (const [command, args, lean] of cases) {
    it(`${lean ? "matches commander" : "leaves to commander"} for ${command} ${JSON.stringify(args)}`, async () => {
      const fast = parseCommandArgs(spec(command).settings, args);
      const reference = await commanderOutcome([command, ...args]);
      if (lean) {
        expect(fast).to.not.equal(undefined);
        expect(reference).to.deep.equal({ ran: { flags: fast!.flags, args: fast!.args } });
      } else {
        expect(fast).to.equal(undefined);
      }
    });
  }

  it("sees commander's usage errors for the calls it leaves (the table's reference can fail)", async () => {
    expect(await commanderOutcome([cp, "--bogus"])).to.deep.equal({ exitCode: 1, code: "commander.unknownOption" });
    const unknown = { exitCode: 1, code: "commander.unknownOption" };
    expect(await commanderOutcome([cp, "--debug=true"])).to.deep.equal(unknown);
    expect(await commanderOutcome([cp, "extra"])).to.deep.equal({ exitCode: 1, code: "commander.excessArguments" });
  });

  it("leaves every call to commander when a setting's flag has a form it does not parse", () => {
    const withFlag = (flag: string) => [setting({ key: "k", flag, description: "d", parse: String })];
    for (const flag of ["-d, --debug", "--level [level]", "--san <names...>", "-x"]) {
      expect(parseCommandArgs(withFlag(flag), []), flag).to.equal(undefined);
    }
    expect(parseCommandArgs(withFlag("--level <level>"), [])).to.deep.equal({ flags: {}, args: [] });
  });

  it("takes every flag of every command without subcommands (no command falls back to commander by its schema)", () => {
    for (const s of commandSpecs().filter((c) => !c.subcommands?.length)) {
      expect(parseCommandArgs(s.settings, []), s.name).to.deep.equal({ flags: {}, args: [] });
      for (const setting of s.settings) {
        const name = setting.flag.split(" ")[0]!;
        const argv = setting.flag.includes(" <") ? [name, "v"] : [name];
        expect(parseCommandArgs(s.settings, argv)?.flags, setting.flag).to.deep.equal({
          [setting.key]: argv.length === 2 ? "v" : !name.startsWith("--no-"),
        });
      }
    }
  });
});
