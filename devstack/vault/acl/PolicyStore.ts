import { parsePolicy, type PolicyRule } from "./parsePolicy.js";

/** The part of Vault's built-in `default` policy a token needs for itself (Vault's also covers sys/, identity/). */
const DEFAULT_POLICY = `path "auth/token/lookup-self" { capabilities = ["read"] }
path "auth/token/renew-self" { capabilities = ["update"] }
path "auth/token/revoke-self" { capabilities = ["update"] }
path "cubbyhole/*" { capabilities = ["create", "read", "update", "delete", "list"] }
`;

/** A stored ACL policy: its name, its HCL text and the parsed rules. */
export interface StoredPolicy {
  name: string;
  raw: string;
  rules: PolicyRule[];
  /** Counts writes, from 1 (OpenBao's policy `version`); 0 for the built-in policies. */
  version: number;
  /** When it was last written, epoch ms (OpenBao's `modified`); 0 for the built-in policies. */
  modifiedMs: number;
}

/** The policy store: built-in `root` (allows everything, immutable) and `default`, plus user policies. */
export class PolicyStore {
  private readonly policies = new Map<string, StoredPolicy>();

  constructor() {
    this.policies.set("default", {
      name: "default",
      raw: DEFAULT_POLICY,
      rules: parsePolicy(DEFAULT_POLICY),
      version: 0,
      modifiedMs: 0,
    });
  }

  /** Parses and stores a policy under its lower-cased name at `nowMs`; throws Error on parse failure. */
  put(name: string, raw: string, nowMs: number): void {
    const lower = name.toLowerCase();
    const version = (this.policies.get(lower)?.version ?? 0) + 1;
    this.policies.set(lower, { name: lower, raw, rules: parsePolicy(raw), version, modifiedMs: nowMs });
  }

  /** The policy with this name; `root` exists with empty text. */
  get(name: string): StoredPolicy | undefined {
    const lower = name.toLowerCase();
    if (lower === "root") return { name: "root", raw: "", rules: [], version: 0, modifiedMs: 0 };
    return this.policies.get(lower);
  }

  /** Deletes a user policy (idempotent). */
  delete(name: string): void {
    this.policies.delete(name.toLowerCase());
  }

  /** All policy names, sorted, including `root`. */
  names(): string[] {
    return [...this.policies.keys(), "root"].sort();
  }
}
