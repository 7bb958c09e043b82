import type { VaultRequest, VaultResponse } from "../http/vaultTypes.js";
import { VaultHttpError } from "../http/VaultHttpError.js";
import { goGlob } from "../goGlob.js";
import { sanitizePolicies, tokenAuthBlock } from "../token/tokenViews.js";
import type { KubernetesAuthState } from "./KubernetesAuthState.js";
import { validateServiceAccountJwt } from "./validateServiceAccountJwt.js";
import { callTokenReview } from "./callTokenReview.js";

/** `login` of the kubernetes auth method, step for step as path_login.go (pathLogin + parseAndValidateJWT + lookup). */
export async function kubernetesLogin(st: KubernetesAuthState, req: VaultRequest): Promise<VaultResponse> {
  const roleName = String(req.fields["role"] ?? "");
  if (!roleName) throw VaultHttpError.badRequest("missing role");
  const jwt = String(req.fields["jwt"] ?? "");
  if (!jwt) throw VaultHttpError.badRequest("missing jwt");
  const role = st.roles.get(roleName.toLowerCase());
  if (!role) throw VaultHttpError.badRequest(`invalid role name "${roleName}"`);
  const config = st.config;
  if (!config) throw VaultHttpError.internal("could not load backend configuration");

  const sa = validateServiceAccountJwt(jwt, {
    nowMs: req.state.clock.now(),
    issuer: !config.disable_iss_validation && config.issuer ? config.issuer : undefined,
    audience: role.audience.trim() || undefined,
    pemKeys: config.pem_keys,
  });
  const names = role.bound_service_account_names;
  if ((names.length > 1 || names[0] !== "*") && !names.some((n) => goGlob(n, sa.name))) {
    throw VaultHttpError.coded(403, "service account name not authorized");
  }
  const namespaces = role.bound_service_account_namespaces;
  if (!(namespaces[0] === "*" || namespaces.some((n) => goGlob(n, sa.namespace)))) {
    throw VaultHttpError.coded(403, "namespace not authorized");
  }
  if (!sa.uid) throw VaultHttpError.internal("could not parse UID from claims");
  const aliasName = role.alias_name_source === "serviceaccount_name" ? `${sa.namespace}/${sa.name}` : sa.uid;

  try {
    const reviewed = await callTokenReview(
      { host: config.kubernetes_host, caCert: config.kubernetes_ca_cert, bearer: config.token_reviewer_jwt || jwt },
      jwt,
      role.audience ? [role.audience] : sa.audiences,
    );
    if (reviewed.name !== sa.name) throw new Error("JWT names did not match");
    if (reviewed.uid !== sa.uid) throw new Error("JWT UIDs did not match");
    if (reviewed.namespace !== sa.namespace) throw new Error("JWT namepaces did not match");
  } catch (err) {
    req.state.log.debug({ err: (err as Error).message, role: roleName }, "login unauthorized");
    throw VaultHttpError.coded(403, "permission denied");
  }

  const metadata = {
    service_account_uid: sa.uid,
    service_account_name: sa.name,
    service_account_namespace: sa.namespace,
    service_account_secret_name: sa.secretName,
  };
  const mount = req.mount;
  const entity = req.state.identity.upsertAlias({
    name: aliasName,
    mountAccessor: mount.accessor,
    mountType: mount.type,
    mountPath: req.mountPath,
    metadata,
  });
  const { defaultTtl, maxTtl: mountMax } = req.state.ttls(mount);
  const maxTtl = Math.min(role.token_max_ttl || mountMax, role.token_explicit_max_ttl || mountMax, mountMax);
  const ttl = Math.min(role.token_ttl || role.token_period || defaultTtl, maxTtl);
  const token = req.state.tokens.create({
    policies: sanitizePolicies(role.token_policies, !role.token_no_default_policy),
    path: req.path,
    displayName: `${mount.path.replace(/\/$/, "")}-${sa.namespace}-${sa.name}`,
    meta: { ...metadata, role: roleName },
    entityId: entity.id,
    creationTtl: ttl,
    maxTtl,
    explicitMaxTtl: role.token_explicit_max_ttl,
    period: role.token_period,
    renewable: true,
    orphan: true,
    numUses: role.token_num_uses,
    role: roleName,
    mountAccessor: mount.accessor,
  });
  req.state.log.info(
    { role: roleName, namespace: sa.namespace, serviceAccount: sa.name, accessor: token.accessor },
    "kubernetes login",
  );
  return { auth: tokenAuthBlock(token, ttl) };
}
