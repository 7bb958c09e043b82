#!/bin/sh
# The old sample's init container, for benchmarks: a Python script (hvac) logs in to Vault with the service-account
# token and issues a certificate (pki/issue), the official aws_signing_helper trades it for credentials, and jq writes
# them to a credentials file. Needs: PYTHON (with hvac), SIGNING_HELPER, jq on PATH, and the variables that
# vault_cert.py, the helper and this script read (ANCHOR_ARN, PROFILE_ARN, ROLE_ARN, RA_ENDPOINT, OUT_DIR).
set -eu
here=$(dirname "$0")
"$PYTHON" "$here/vault_cert.py"
"$SIGNING_HELPER" credential-process \
  --certificate "$OUT_DIR/cert.pem" --intermediates "$OUT_DIR/chain.pem" --private-key "$OUT_DIR/key.pem" \
  --trust-anchor-arn "$ANCHOR_ARN" --profile-arn "$PROFILE_ARN" --role-arn "$ROLE_ARN" --endpoint "$RA_ENDPOINT" \
  | jq -r '"[default]\naws_access_key_id = \(.AccessKeyId)\naws_secret_access_key = \(.SecretAccessKey)\naws_session_token = \(.SessionToken)"' \
  > "$OUT_DIR/credentials.tmp"
mv "$OUT_DIR/credentials.tmp" "$OUT_DIR/credentials"
