import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createLogger, REDACTED_KEYS } from "../../../lib/log.js";

const logModule = fileURLToPath(new URL("../../../lib/log.ts", import.meta.url));

function capture(level: string) {
  const lines: string[] = [];
  const destination = { write: (l: string) => void lines.push(l) };
  const log = createLogger({ level, base: { command: "test" }, destination });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Whether pino is in the require cache of a child process after running `body` with `log` created at `level`. */
async function pinoLoadedAfter(level: string, body: string): Promise<boolean> {
  const script = `
    const { createRequire } = await import("node:module");
    const { createLogger } = await import(${JSON.stringify(logModule)});
    const log = createLogger({ level: ${JSON.stringify(level)}, destination: { write() {} } });
    ${body}
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(cache.some((p) => p.includes("/node_modules/pino/"))));`;
  const argv = ["--import", "tsx", "--input-type=module", "-e", script];
  const { stdout } = await promisify(execFile)(process.execPath, argv);
  return JSON.parse(stdout.trim().split("\n").pop()!) as boolean;
}

describe("createLogger", () => {
  it("writes one JSON line per call: level label, ISO time, bindings, object, msg, in that order", () => {
    const { log, lines } = capture("info");
    log.child({ component: "c" }).info({ a: 1 }, "hello %s", "world");
    log.warn("plain");
    expect(lines).to.have.length(2);
    const time = String.raw`"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"`;
    expect(lines[0]).to.match(
      new RegExp(String.raw`^\{"level":"info",${time},"command":"test","component":"c","a":1,"msg":"hello world"\}\n$`),
    );
    expect(JSON.parse(lines[1]!)).to.include({ level: "warn", command: "test", msg: "plain" });
  });

  it("redacts every listed key at the top level and two levels down", () => {
    const { log, parsed } = capture("info");
    for (const key of REDACTED_KEYS) {
      log.info({ [key]: "s1", nested: { [key]: "s2", deeper: { [key]: "s3" } } }, "x");
    }
    for (const line of parsed()) {
      const text = JSON.stringify(line);
      expect(text).to.not.match(/s[123]/);
      expect(text.match(/\[REDACTED\]/g)).to.have.length(3);
    }
  });

  it("drops lines below the level, and follows level changes made before and after the first line", () => {
    const { log, parsed } = capture("warn");
    log.info("dropped");
    log.level = "debug";
    const child = log.child({ component: "c" });
    child.debug("kept by the child, which starts at its parent's level");
    log.error("written");
    log.level = "error";
    log.warn("dropped again");
    child.debug("the child keeps its own level");
    expect(parsed().map((l) => l.msg)).to.deep.equal([
      "kept by the child, which starts at its parent's level",
      "written",
      "the child keeps its own level",
    ]);
    expect(log.level).to.equal("error");
  });

  it("serializes errors under err with type, message and stack", () => {
    const { log, parsed } = capture("info");
    log.error({ err: new TypeError("boom") }, "failed");
    const err = parsed()[0]!.err as Record<string, unknown>;
    expect(err).to.include({ type: "TypeError", message: "boom" });
    expect(err.stack).to.be.a("string");
  });

  it("fails on an unknown level as pino does", () => {
    expect(() => createLogger({ level: "loud" })).to.throw(/loud/);
    expect(() => {
      createLogger({ level: "info" }).level = "loud";
    }).to.throw(/unknown level loud/);
  });

  it("does not load pino for lines of plain data, and loads it for a line that carries an error object", async () => {
    const plain = `log.child({ a: 1 }).warn({ list: [1, "x", null], nested: { token: "s" } }, "w"); log.debug("x");`;
    expect(await pinoLoadedAfter("warn", plain)).to.equal(false);
    expect(await pinoLoadedAfter("warn", `log.child({ a: 1 }).warn({ err: new Error("e") }, "written");`)).to.equal(
      true,
    );
  });
});
