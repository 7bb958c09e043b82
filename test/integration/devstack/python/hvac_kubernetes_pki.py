"""Runs what the old sample's init container did, with Debian's python3-hvac, against the devstack Vault stand-in.

Usage: /usr/bin/python3 hvac_kubernetes_pki.py <vault_url> <role> <jwt> <pki_role> <common_name> <pki_mount>
Prints one JSON object: which login API it used, the auth block's policies/metadata and the issued certificate.
"""
import json
import sys

import hvac

url, role, jwt, pki_role, common_name, mount = sys.argv[1:7]
client = hvac.Client(url=url)
if hasattr(client.auth, "kubernetes"):
    login = client.auth.kubernetes.login(role=role, jwt=jwt)
    api = "client.auth.kubernetes.login"
else:
    login = hvac.api.auth_methods.Kubernetes(client.adapter).login(role=role, jwt=jwt)
    api = "hvac.api.auth_methods.Kubernetes.login"
issued = client.secrets.pki.generate_certificate(name=pki_role, common_name=common_name, mount_point=mount)
print(json.dumps({
    "api": api,
    "authenticated": client.is_authenticated(),
    "policies": login["auth"]["policies"],
    "metadata": login["auth"]["metadata"],
    "certificate": issued["data"]["certificate"],
    "private_key_type": issued["data"]["private_key_type"],
    "ca_chain": issued["data"]["ca_chain"],
}))
