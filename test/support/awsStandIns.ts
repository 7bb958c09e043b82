import { createSessionStore, type SessionStore } from "../../devstack/aws/sessionStore.js";
import {
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from "../../devstack/rolesanywhere/startRolesAnywhereStandIn.js";
import { startStsStandIn, type StsStandIn } from "../../devstack/sts/startStsStandIn.js";
import { systemClock, type Clock } from "../../lib/time/clock.js";

/** The AWS side of the devstack for a test: a session store, Roles Anywhere and STS on loopback. */
export interface AwsStandIns {
  sessions: SessionStore;
  ra: RolesAnywhereStandIn;
  sts: StsStandIn;
  close(): Promise<void>;
}

/** Starts Roles Anywhere and STS stand-ins sharing one session store. */
export async function startAwsStandIns(
  opts: { clock?: Clock; tps?: number; minDurationSeconds?: number } = {},
): Promise<AwsStandIns> {
  const clock = opts.clock ?? systemClock;
  const sessions = createSessionStore({ clock });
  const ra = await startRolesAnywhereStandIn({
    sessions,
    clock,
    tps: opts.tps ?? 1000,
    minDurationSeconds: opts.minDurationSeconds,
  });
  const sts = await startStsStandIn({ sessions, clock });
  return {
    sessions,
    ra,
    sts,
    close: async () => {
      await Promise.all([ra.close(), sts.close()]);
    },
  };
}
