/** The benchmarks' load on a container credentials endpoint: keep-alive GET loops with the Authorization token. */
import { Agent, get } from "node:http";

/** Requests sent, answers that were not 2xx, and requests that failed without an answer. */
export interface LoadCounts {
  total: number;
  non2xx: number;
  errors: number;
}

/** Runs `loops` concurrent GET loops against `url` (one keep-alive agent) for as long as `running()` is true. */
export async function loadEndpoint(
  url: string,
  token: string,
  loops: number,
  running: () => boolean,
): Promise<LoadCounts> {
  const agent = new Agent({ keepAlive: true, maxSockets: loops });
  const counts: LoadCounts = { total: 0, non2xx: 0, errors: 0 };
  const once = () =>
    new Promise<void>((resolve) => {
      const req = get(url, { agent, headers: { authorization: token } }, (res) => {
        if ((res.statusCode ?? 0) >= 300) counts.non2xx++;
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", () => {
        counts.errors++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (running()) {
        counts.total++;
        await once();
      }
    }),
  );
  agent.destroy();
  return counts;
}
