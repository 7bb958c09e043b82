# Vault policy for the token that runs `iamra-vault vault-config plan|apply|export` with the default names
# (pki, pki-root, kubernetes, policies iamra-<binding>). Adjust the paths if your config uses other names.
# plan and export need only the "read" lines; apply needs the rest.

# Mount tables (plan reads them; apply enables and tunes only these mounts).
path "sys/mounts" { capabilities = ["read"] }
path "sys/auth" { capabilities = ["read"] }
path "sys/mounts/pki" { capabilities = ["create", "update"] }
path "sys/mounts/pki/tune" { capabilities = ["read", "update"] }
# Enabling an auth method needs sudo.
path "sys/auth/kubernetes" { capabilities = ["create", "update", "sudo"] }

# The intermediate CA: its CSR, the signed certificate, URLs, CA reads.
path "pki/cert/ca" { capabilities = ["read"] }
path "pki/cert/ca_chain" { capabilities = ["read"] }
path "pki/config/urls" { capabilities = ["read", "create", "update"] }
path "pki/intermediate/generate/internal" { capabilities = ["update"] }
path "pki/intermediate/set-signed" { capabilities = ["update"] }
# One PKI role per binding ("delete" only for `remove.pkiRoles`).
path "pki/roles/*" { capabilities = ["create", "read", "update", "delete"] }

# Kubernetes auth config and one role per binding ("delete" only for `remove.kubernetesRoles`).
path "auth/kubernetes/config" { capabilities = ["create", "read", "update"] }
path "auth/kubernetes/role/*" { capabilities = ["create", "read", "update", "delete"] }

# One ACL policy per binding ("delete" only for `remove.policies`).
path "sys/policies/acl/iamra-*" { capabilities = ["create", "read", "update", "delete"] }

# Development only (signedBy: { type: mount, mount: pki-root }): the root mount and its CA.
path "sys/mounts/pki-root" { capabilities = ["create", "update"] }
path "sys/mounts/pki-root/tune" { capabilities = ["read", "update"] }
path "pki-root/cert/ca" { capabilities = ["read"] }
path "pki-root/root/generate/internal" { capabilities = ["update"] }
path "pki-root/root/sign-intermediate" { capabilities = ["update"] }
