"""The old sample's init step, for benchmarks: Vault kubernetes login with hvac, then pki/issue (Vault makes the key).

Writes cert.pem (leaf), chain.pem (issuing CA chain) and key.pem into OUT_DIR. Reads VAULT_ADDR, VAULT_ROLE,
PKI_MOUNT, PKI_ROLE, COMMON_NAME, SA_TOKEN_FILE, URI_SANS (the SPIFFE ID the trust policy expects) and OUT_DIR.
"""
import os

import hvac

env = os.environ
client = hvac.Client(url=env["VAULT_ADDR"])
with open(env["SA_TOKEN_FILE"]) as f:
    jwt = f.read().strip()
client.auth.kubernetes.login(role=env["VAULT_ROLE"], jwt=jwt)
issued = client.secrets.pki.generate_certificate(
    name=env["PKI_ROLE"],
    common_name=env["COMMON_NAME"],
    extra_params={"ttl": "1h", "uri_sans": env["URI_SANS"]},
    mount_point=env["PKI_MOUNT"],
)["data"]
out = env["OUT_DIR"]
with open(os.path.join(out, "cert.pem"), "w") as f:
    f.write(issued["certificate"] + "\n")
with open(os.path.join(out, "chain.pem"), "w") as f:
    f.write("\n".join(issued.get("ca_chain") or [issued["issuing_ca"]]) + "\n")
with open(os.path.join(out, "key.pem"), "w") as f:
    f.write(issued["private_key"] + "\n")
