/** Trust anchors, profiles and roles of the Roles Anywhere stand-in, and how CreateSession's ARNs resolve to them. */
import { randomUUID, type X509Certificate } from "node:crypto";
import { parseCertificateBundle } from "../../lib/x509/parseCertificates.js";
import type { TrustPolicy } from "./evaluateTrustPolicy.js";
import { accessDenied, notFound, validationError } from "./rolesAnywhereApiError.js";

/** A trust anchor: CA certificates that end-entity certificates must chain to. */
export interface TrustAnchor {
  arn: string;
  name: string;
  cas: X509Certificate[];
  enabled: boolean;
}
/** A profile: the roles it may hand out and the longest session it allows (seconds). */
export interface Profile {
  arn: string;
  name: string;
  roleArns: string[];
  durationSeconds: number;
  enabled: boolean;
}
/** An IAM role with an optional trust policy (evaluated when set). */
export interface Role {
  arn: string;
  name: string;
  trustPolicy?: TrustPolicy;
}

/** The three resources a CreateSession names, resolved and checked. */
export interface ResolvedResources {
  trustAnchor: TrustAnchor;
  profile: Profile;
  role: Role;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const RA_ARN = new RegExp(`^arn:aws:rolesanywhere:([a-z0-9-]+):(\\d{12}):(trust-anchor|profile)/(${UUID})$`);
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;

/** The registry's operations, used by the stand-in's setup methods and its CreateSession handler. */
export interface ResourceRegistry {
  addTrustAnchor(input: { name: string; caCertificatesPem: string; enabled?: boolean }): { arn: string };
  addProfile(input: { name: string; roleArns: string[]; durationSeconds?: number; enabled?: boolean }): { arn: string };
  addRole(input: { name: string; trustPolicy?: object }): { arn: string };
  setProfileEnabled(arn: string, enabled: boolean): void;
  setTrustAnchorEnabled(arn: string, enabled: boolean): void;
  /** Resolves the ARNs of a request: ValidationException, ResourceNotFoundException or AccessDeniedException. */
  resolve(arns: { trustAnchorArn: string; profileArn: string; roleArn: string }): ResolvedResources;
}

/** Creates an empty registry for one region and account. */
export function createResourceRegistry(opts: { region: string; accountId: string }): ResourceRegistry {
  const anchors = new Map<string, TrustAnchor>();
  const profiles = new Map<string, Profile>();
  const roles = new Map<string, Role>();
  const raArn = (kind: string) => `arn:aws:rolesanywhere:${opts.region}:${opts.accountId}:${kind}/${randomUUID()}`;

  function checkRaArn(arn: string, kind: "trust-anchor" | "profile", field: string): void {
    const m = RA_ARN.exec(arn);
    if (!m || m[3] !== kind) throw validationError(`Invalid ${field}: '${arn}' is not a ${kind} ARN`);
    if (m[1] !== opts.region)
      throw validationError(`${field} region '${m[1]}' does not match the endpoint region '${opts.region}'`);
  }
  function mustGet<T>(map: Map<string, T>, arn: string, what: string): T {
    const found = map.get(arn);
    if (!found) throw new RangeError(`unknown ${what} ${arn}`);
    return found;
  }

  return {
    addTrustAnchor({ name, caCertificatesPem, enabled = true }) {
      const cas = parseCertificateBundle(caCertificatesPem, `trust anchor "${name}"`);
      if (cas.length === 0) throw new RangeError(`trust anchor "${name}" needs at least one CA certificate`);
      const arn = raArn("trust-anchor");
      anchors.set(arn, { arn, name, cas, enabled });
      return { arn };
    },
    addProfile({ name, roleArns, durationSeconds = 3600, enabled = true }) {
      if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
        throw new RangeError("profile durationSeconds must be an integer in 900..43200");
      }
      const arn = raArn("profile");
      profiles.set(arn, { arn, name, roleArns: [...roleArns], durationSeconds, enabled });
      return { arn };
    },
    addRole({ name, trustPolicy }) {
      const arn = `arn:aws:iam::${opts.accountId}:role/${name}`;
      if (!ROLE_ARN.test(arn)) throw new RangeError(`invalid role name "${name}"`);
      roles.set(arn, { arn, name, trustPolicy: trustPolicy as TrustPolicy | undefined });
      return { arn };
    },
    setProfileEnabled: (arn, enabled) => void (mustGet(profiles, arn, "profile").enabled = enabled),
    setTrustAnchorEnabled: (arn, enabled) => void (mustGet(anchors, arn, "trust anchor").enabled = enabled),
    resolve({ trustAnchorArn, profileArn, roleArn }) {
      checkRaArn(trustAnchorArn, "trust-anchor", "trustAnchorArn");
      checkRaArn(profileArn, "profile", "profileArn");
      if (!ROLE_ARN.test(roleArn)) throw validationError(`Invalid roleArn: '${roleArn}' is not an IAM role ARN`);
      const trustAnchor = anchors.get(trustAnchorArn);
      if (!trustAnchor) throw notFound(`Trust anchor not found: ${trustAnchorArn}`);
      const profile = profiles.get(profileArn);
      if (!profile) throw notFound(`Profile not found: ${profileArn}`);
      const role = roles.get(roleArn);
      if (!role) throw notFound(`Role not found: ${roleArn}`);
      if (!trustAnchor.enabled) throw accessDenied("Trust anchor is disabled");
      if (!profile.enabled) throw accessDenied("Profile is disabled");
      if (!profile.roleArns.includes(roleArn)) throw accessDenied(`Role ${roleArn} is not associated with the profile`);
      return { trustAnchor, profile, role };
    },
  };
}
