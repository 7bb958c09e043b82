/**
 * Memory of the iamra-vault processes as measured on the bundled CLI (`npm run build`), Node 24 (the image's runtime)
 * with the image's NODE_OPTIONS (--max-semi-space-size=1; the refresher container's adds --jitless), in MiB of RSS.
 * The manifests and the webhook cite them.
 * - refresher: `npx tsx bench/refresherRss.bench.ts --refreshes 1000 --node <node 24> --node-options
 *   "--max-semi-space-size=1 --jitless"`, 2 s sessions under endpoint load. 1,000 refreshes and 1.07M requests in
 *   918 s: RSS 68.1 MiB at the end and on average over the second half (trend +0.04 MiB per 10 min), VmHWM 68.1; idle
 *   Node 24 next to it 41.9. A run capped at 900 s (988 refreshes, 1.2M requests): 68.4, VmHWM 68.4, trend +0.5 MiB
 *   per 10 min; the larger is kept.
 * - init: `npx tsx bench/init.bench.ts --runs 5 --node <node 24> --node-options "--max-semi-space-size=1"`: the largest
 *   of 5 `/usr/bin/time -f %M` readings, 75.3.
 * - the init-and-sidecar example's postStart hook (its `-e` script, polling a /readyz that answers 503 and then 200):
 *   `/usr/bin/time -f %M`, 47936 KiB = 46.8.
 * - webhook: `npx tsx bench/webhookRss.bench.ts --seconds 60 --node <node 24>`: 115,940 admission reviews in 60 s (4
 *   keep-alive TLS loops); average RSS 91.3 MiB in the first third, 98.9 in the last, VmHWM 107.7.
 */
export const MEASURED_MIB = {
  refresherSteady: 68.4,
  refresherPeak: 68.4,
  initPeak: 75.3,
  postStartHookPeak: 46.8,
  webhookSteady: 98.9,
  webhookPeak: 107.7,
};

/** Headroom a limit keeps above the measured peak, in MiB (figures on a loaded 2-core machine vary by a few MiB). */
export const LIMIT_HEADROOM_MIB = 32;

/** MiB in a Kubernetes memory quantity ("96Mi", "1Gi", "134217728", "128M"). */
export function mebibytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity);
  if (!m) throw new Error(`not a memory quantity: ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ""] ?? 1;
  return (Number(m[1]) * unit) / 2 ** 20;
}
