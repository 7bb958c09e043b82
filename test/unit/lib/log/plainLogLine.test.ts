import { expect } from "chai";
import { createLogger, createPinoLogger, type Logger } from "../../../../lib/log.js";

const lsep = String.fromCharCode(0x2028);
const nullProto = (o: object) => Object.assign(Object.create(null) as object, o);

/** Log calls whose lines must be byte for byte what pino writes (the time aside). */
const CALLS: unknown[][] = [
  [],
  ["plain message"],
  ['quotes " and \\ backslash, tab\t, newline\n, unicode é ☃ 🎉 and a lone surrogate \ud800'],
  ["a % sign and %s without arguments"],
  [{ a: 1, b: "two", c: true, d: null, e: undefined }, "mixed"],
  [{ n0: 0, nNeg0: -0, half: 1.5, big: 1e21, small: 5e-324, nan: NaN, inf: Infinity, ninf: -Infinity }],
  [{ "2": "b", "1": "a", z: 1, y: 2 }, "integer-like keys first"],
  [{ 'k"q': 1, "k\\b": 2, "k\nl": 3, ["k".repeat(101) + "\ud800"]: 4, ["ké🎉"]: 5, "\ud800": 6 }, "odd keys"],
  [{ long: "x".repeat(150), control: "\u0001\u001f", sep: `line${lsep}separator` }],
  [{ list: [1, "two", null, undefined, [3, [4]], { token: "s", deeper: { token: "s" } }] }, "arrays"],
  [{ token: "s", jwt: 1, password: null, privateKey: { nested: true }, client_token: ["a"], sessionToken: NaN }],
  [{ nested: { token: "s", keep: "k", deeper: { jwt: "s", keep: "k", deepest: { password: "kept at level 4" } } } }],
  [{ nested: { token: undefined, deeper: { jwt: undefined } }, top: { list: [{ token: "in an array at level 3" }] } }],
  [{ jwt: { token: "s" }, ok: { jwt: { token: "s" } } }, "redacted keys holding redacted keys"],
  [{ "x-vault-token": "s", hdr: { "X-Vault-Token": "s", authorization: "s", Authorization: "s" } }],
  [{ arr: [{ secretAccessKey: "s" }, [{ SessionToken: "s" }]], top: [[{ Token: "s" }]] }, "arrays of objects"],
  [nullProto({ a: 1, inner: nullProto({ token: "s", keep: 1 }) }), "null-prototype objects"],
  [{ msg: "own msg", level: "own level", time: "own time" }, "duplicate keys"],
  [{}, "empty object"],
  [{ a: 1 }],
  [{ empty: {}, emptyList: [], deep: { a: { b: { c: { d: [1, { e: "f" }] } } } } }],
  // not plain: pino writes these, and they must still come out as pino writes them
  [new TypeError("an error as the object")],
  [{ err: new Error("boom") }, "err key"],
  [{ when: new Date(0) }, "a date"],
  [{ n: 10n }, "a bigint"],
  [{ a: 1 }, "format %s and %d", "x", 2],
  ["format %s", "arg"],
  [{ fn: () => 1, a: 1 }, "a function"],
  [{ method: "GET", headers: {}, socket: {} }, "looks like an http request"],
  [
    {
      point: new (class Point {
        x = 1;
      })(),
    },
    "a class instance",
  ],
];

function lines(make: (write: (l: string) => void) => Logger, use: (log: Logger) => Logger): string[] {
  const out: string[] = [];
  const log = use(make((l) => void out.push(l)));
  for (const args of CALLS) (log.info as (...a: unknown[]) => void)(...args);
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  log.warn({ cyclic }, "a cycle");
  log.debug({ a: 1 }, "below the level");
  return out.map((l) => l.replace(/"time":"[^"]*"/, '"time":"T"'));
}

function compare(use: (log: Logger) => Logger): void {
  const opts = { level: "info", base: { command: "test", pod: { token: "s", name: "p" } } };
  const ours = lines((write) => createLogger({ ...opts, destination: { write } }), use);
  const pinos = lines((write) => createPinoLogger({ ...opts, destination: { write } }), use);
  expect(ours).to.have.length(CALLS.length + 1);
  for (let i = 0; i < pinos.length; i++) expect(ours[i], `line ${i}`).to.equal(pinos[i]);
}

describe("plainLogLine", () => {
  it("writes what pino writes for every call shape, on the root logger", () => {
    compare((log) => log);
  });

  it("writes what pino writes on children with plain, redacted and nested bindings", () => {
    compare((log) => log.child({ component: "c", jwt: "s" }).child({ nested: { password: "s", keep: [1] } }));
  });

  it("writes what pino writes on a child whose bindings are not plain (pino writes all its lines)", () => {
    const bound = { component: "c", since: new Date(0), err: new Error("bound") };
    compare((log) => log.child(bound));
  });

  it("writes plain lines and pino's lines in call order on one destination", () => {
    const out: string[] = [];
    const log = createLogger({ destination: { write: (l) => void out.push(l) } });
    log.info("first");
    log.info({ err: new Error("second") }, "second");
    log.info("third");
    expect(out.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.deep.equal(["first", "second", "third"]);
  });
});
