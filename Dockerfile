# syntax=docker/dockerfile:1
# iamra-vault image: the product CLI (`init`, `refresher`, `credential-process`, `vault-config`, `webhook`) on
# Node 24 LTS.
# Build: docker build -t iamra-vault:0.1.0 .   (or buildah/podman/kaniko; this repository's CI has no image builder)
# Run:   the manifests in k8s/ pass the command as args, e.g. ["refresher", "--output-dir=/var/run/iamra"].
# The runtime stage holds dist/bin/ only; test/e2e/installedCli.e2e.test.ts runs that same folder installed from the
# npm package, outside the repository and without node_modules, and test/e2e/imageFileSet.e2e.test.ts copies exactly
# this stage's file set to a read-only folder and runs `init` and `refresher` from it with this stage's ENV, WORKDIR
# and USER, on Node 24 and Node 20.

ARG BUILD_IMAGE=node:24-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot

# ---- build: install the pinned toolchain, bundle the CLI (esbuild) into dist/bin/ ----
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/bundleCli.mjs ./scripts/bundleCli.mjs
COPY cli ./cli
COPY lib ./lib
COPY init ./init
COPY refresher ./refresher
COPY credential-process ./credential-process
COPY vault-config ./vault-config
COPY webhook ./webhook
RUN node scripts/bundleCli.mjs

# ---- runtime: Node and the bundle only (no npm, no shell, no node_modules, no devstack); non-root ----
FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="iamra-vault" \
      org.opencontainers.image.description="Short-lived AWS credentials for Kubernetes pods through IAM Roles Anywhere, with HashiCorp Vault as the CA" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="gcr.io/distroless/nodejs24-debian12:nonroot"
ENV NODE_ENV=production
# A 1 MB young-generation semi-space keeps the long-running refresher smaller: on Node 20 after 100 refreshes under
# endpoint load, 79 MiB RSS with it against 87.6 MiB and still rising without (npx tsx bench/refresherRss.bench.ts
# --refreshes 100 [--node-options ""]). --max-old-space-size=48 did not pay on Node 24 (101 MiB against 97 MiB
# without it); override NODE_OPTIONS to change it. Nor did these on the refresher with --jitless (Node 24, 300
# refreshes under endpoint load; 68.2 MiB RSS without them): MALLOC_ARENA_MAX=1 + UV_THREADPOOL_SIZE=1 +
# --v8-pool-size=1 (67.8 MiB, 5 threads instead of 11), --max-old-space-size=24 (67.3), --lite-mode (peak 67.8).
ENV NODE_OPTIONS=--max-semi-space-size=1
WORKDIR /app
# dist/bin/ is self-contained: the bundled CLI and its lazily loaded parts, no node_modules. Owned by root, not
# writable by the runtime user; the root filesystem can be mounted read-only.
COPY --from=build --chown=0:0 /src/dist/bin/ /app/
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/app/iamra-vault.cjs"]
CMD ["--help"]
