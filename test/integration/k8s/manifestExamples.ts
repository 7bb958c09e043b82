/** What the example manifest tests share: the documented examples, the built CLI's help, views of one example. */
import { expect } from "chai";
import {
  cliHelpOptions,
  containersOf,
  isIamraVault,
  kustomizeUnavailableReason,
  loadExample,
  type Container,
  type HelpOption,
  type K8sObject,
} from "./k8sManifestKit.js";

/** The examples under k8s/examples, as k8s/README.md documents them. */
export const EXAMPLES = ["init-and-sidecar", "job", "native-sidecar", "vault-agent"];
/** The examples whose pod runs iamra-vault init as an init container. */
export const WITH_INIT = ["init-and-sidecar", "job"];
const help = new Map<string, Map<string, HelpOption> | undefined>();

/**
 * Registers a before hook (call inside a describe): skips its tests when kubectl kustomize cannot run here, else reads
 * the --help of init and refresher from the built CLI.
 */
export function readCliHelpFirst(): void {
  before(async function () {
    const reason = kustomizeUnavailableReason();
    if (reason) {
      console.warn(`      skipped: ${reason}`);
      this.skip();
    }
    for (const command of ["init", "refresher"]) help.set(command, await cliHelpOptions(command));
  });
}

/** The parsed --help of a built CLI command; undefined when the CLI does not register it. */
export function commandHelp(command: string): Map<string, HelpOption> | undefined {
  return help.get(command);
}

/** The help of the command a container runs (args[0]); fails when the built CLI does not register it. */
export function helpOf(c: Container): Map<string, HelpOption> {
  const command = String(c.args?.[0]);
  const options = help.get(command);
  expect(
    options,
    `"iamra-vault ${command}" is not registered in the built CLI (dist/bin/iamra-vault.cjs)`,
  ).to.not.equal(undefined);
  return options!;
}

/** One example, rendered once, with its containers seen by role. */
export function exampleViews(name: string) {
  const ex = () => loadExample(name);
  /** Calls `fn` for every container of every workload. */
  const each = (fn: (c: Container, init: boolean, spec: K8sObject, obj: K8sObject) => void) => {
    for (const { obj, spec } of ex().workloads) {
      for (const { c, init } of containersOf(spec)) fn(c, init, spec, obj);
    }
  };
  /** The containers that are not iamra-vault's. */
  const apps = () =>
    ex().workloads.flatMap(({ spec }) =>
      containersOf(spec)
        .filter(({ c }) => !isIamraVault(c))
        .map(({ c }) => c),
    );
  /** The iamra-vault containers. */
  const iamra = () => ex().workloads.flatMap(({ spec }) => containersOf(spec).filter(({ c }) => isIamraVault(c)));
  return { ex, each, apps, iamra };
}
