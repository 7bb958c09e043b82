import { bindingSummaries, type BindingSummary } from "./bindingSummary.js";
import type { VaultConfig } from "./VaultConfig.js";

/** The principal and actions an IAM role trusts for Roles Anywhere sessions (roles-anywhere-facts). */
export const ROLES_ANYWHERE_SERVICE = "rolesanywhere.amazonaws.com";
/**
 * Actions Roles Anywhere needs on the role: assume it, tag the session from the certificate, set the source identity.
 */
export const ROLES_ANYWHERE_ACTIONS = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"] as const;

/** Options of buildExportArtifacts. */
export interface ExportOptions {
  /** The trust anchor's ARN once created; adds ArnEquals aws:SourceArn to every trust policy. */
  trustAnchorArn?: string;
  /** Also produce a CloudFormation template (cloudformation.json). */
  cloudFormation?: boolean;
}

/** File name → content of everything export writes (JSON files end with a newline). */
export type ExportArtifacts = Record<string, string>;

/**
 * An IAM role trust policy admitting exactly the binding's SPIFFE IDs (aws:PrincipalTag/x509SAN/URI) through Roles
 * Anywhere.
 */
export function trustPolicyFor(binding: BindingSummary, sourceArn?: unknown): Record<string, unknown> {
  const condition: Record<string, Record<string, unknown>> = {
    StringEquals: {
      "aws:PrincipalTag/x509SAN/URI": binding.spiffeIds.length === 1 ? binding.spiffeId : binding.spiffeIds,
    },
  };
  if (sourceArn !== undefined) condition.ArnEquals = { "aws:SourceArn": sourceArn };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: `IamraVault${pascal(binding.name)}`,
        Effect: "Allow",
        Principal: { Service: ROLES_ANYWHERE_SERVICE },
        Action: [...ROLES_ANYWHERE_ACTIONS],
        Condition: condition,
      },
    ],
  };
}

function pascal(name: string): string {
  return name
    .split(/[-_]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function cloudFormation(config: VaultConfig, rootPem: string, bindings: BindingSummary[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    TrustAnchor: {
      Type: "AWS::RolesAnywhere::TrustAnchor",
      Properties: {
        Name: config.export.trustAnchorName,
        Enabled: true,
        Source: { SourceType: "CERTIFICATE_BUNDLE", SourceData: { X509CertificateData: rootPem } },
      },
    },
  };
  const outputs: Record<string, unknown> = {
    TrustAnchorArn: { Value: { "Fn::GetAtt": ["TrustAnchor", "TrustAnchorArn"] } },
  };
  for (const b of bindings) {
    const id = `Role${pascal(b.name)}`;
    const properties: Record<string, unknown> = {
      Description: `iamra-vault binding "${b.name}": ${b.spiffeIds.join(", ")} (attach permission policies)`,
      AssumeRolePolicyDocument: trustPolicyFor(b, { "Fn::GetAtt": ["TrustAnchor", "TrustAnchorArn"] }),
    };
    if (b.awsRoleArn) properties.RoleName = b.awsRoleArn.split("/").pop();
    resources[id] = { Type: "AWS::IAM::Role", Properties: properties };
    outputs[`${id}Arn`] = { Value: { "Fn::GetAtt": [id, "Arn"] } };
  }
  resources.Profile = {
    Type: "AWS::RolesAnywhere::Profile",
    Properties: {
      Name: config.export.profileName,
      Enabled: true,
      DurationSeconds: config.export.profileDurationSeconds,
      RoleArns: bindings.map((b) => ({ "Fn::GetAtt": [`Role${pascal(b.name)}`, "Arn"] })),
    },
  };
  outputs.ProfileArn = { Value: { "Fn::GetAtt": ["Profile", "ProfileArn"] } };
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `IAM Roles Anywhere trust anchor, profile and roles for iamra-vault (trust domain ${config.trustDomain})`,
    Resources: resources,
    Outputs: outputs,
  };
}

/**
 * Everything AWS needs, as files (pure): the trust anchor bundle (`trust-anchor.pem`, the root), request bodies for
 * `aws rolesanywhere create-trust-anchor --cli-input-json file://trust-anchor.json` and `create-profile`
 * (`profile.json`,
 * with the bindings' awsRoleArn values), one `trust-policy-<binding>.json` per binding for `aws iam create-role
 * --assume-role-policy-document`, and optionally `cloudformation.json`.
 */
export function buildExportArtifacts(config: VaultConfig, rootPem: string, opts: ExportOptions = {}): ExportArtifacts {
  const bindings = bindingSummaries(config);
  const pem = `${rootPem.trim()}\n`;
  const files: ExportArtifacts = {
    "trust-anchor.pem": pem,
    "trust-anchor.json": json({
      name: config.export.trustAnchorName,
      enabled: true,
      source: { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: pem } },
    }),
    "profile.json": json({
      name: config.export.profileName,
      enabled: true,
      durationSeconds: config.export.profileDurationSeconds,
      roleArns: bindings.flatMap((b) => (b.awsRoleArn ? [b.awsRoleArn] : [])),
    }),
  };
  for (const b of bindings) files[`trust-policy-${b.name}.json`] = json(trustPolicyFor(b, opts.trustAnchorArn));
  if (opts.cloudFormation) files["cloudformation.json"] = json(cloudFormation(config, pem, bindings));
  return files;
}
