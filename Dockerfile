# syntax=docker/dockerfile:1
# The entra-ingest worker image. Stage 1 builds the whole workspace with pnpm; stage 2 is a slim
# runtime holding only the CLI package, its built workspace dependencies and their production
# node_modules (`pnpm deploy`), run as the unprivileged `node` user.
#
#   docker build -t entra-ingest-worker .
#   docker run --init -v "$PWD/deploy/feeds.yaml:/config/feeds.yaml:ro" entra-ingest-worker

# The current Node LTS (24) on Debian bookworm: glibc, as the Temporal SDK's native bridge is built for
# gnu targets. package.json `engines` names the oldest Node the test suite passes on (20.18), which is
# what a clone needs; the image runs the LTS. Pinned: a rebuild gets the same Node until this line moves.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
# The pnpm release the lockfile was written with (scripts/bootstrap.js installs the same).
ARG PNPM_VERSION=12.21.0
RUN npm install --global "pnpm@${PNPM_VERSION}"
WORKDIR /src
COPY . .
# The store lives in a build cache mount: rebuilds after a source change reuse downloaded packages.
# pnpm copies out of it (it cannot hard-link across mounts), so nothing points back into the cache.
RUN --mount=type=cache,id=entra-ingest-pnpm-store,target=/pnpm-store,sharing=locked \
    pnpm install --frozen-lockfile --store-dir /pnpm-store \
 && pnpm -s build
RUN --mount=type=cache,id=entra-ingest-pnpm-store,target=/pnpm-store,sharing=locked \
    pnpm --filter @entra-ingest/cli deploy --prod --store-dir /pnpm-store /out
# The Temporal SDK ships its native bridge prebuilt for five platforms (about 140 MB): keep the one
# this image runs on, chosen by the SDK's own rule, drop the Rust sources, and prove it still loads.
RUN set -eu; \
    for bridge in /out/node_modules/.pnpm/@temporalio+core-bridge@*/node_modules/@temporalio/core-bridge; do \
      keep="$(node -p "require('$bridge/common.js').getPrebuiltTargetName()")"; \
      for dir in "$bridge"/releases/*; do [ "${dir##*/}" = "$keep" ] || rm -rf "$dir"; done; \
      rm -rf "$bridge/sdk-core" "$bridge/src" "$bridge/bridge-macros" "$bridge/Cargo.toml" "$bridge/Cargo.lock"; \
      node -e "require('$bridge')"; \
    done

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="entra-ingest worker" \
      org.opencontainers.image.description="Microsoft Entra ID activity from Microsoft Graph to OCSF, orchestrated by Temporal" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
# glibc gives every thread that allocates its own arena (the Temporal core's runtime threads, libuv's pool), and
# memory freed in one is kept for it: two arenas cut the worker's peak RSS by ~30 MB in `pnpm bench` at no cost in
# throughput (docs/performance.md).
ENV MALLOC_ARENA_MAX=2
# Free memory above 128 KB at the top of an arena goes back to the system (glibc's default raises this threshold as
# the process frees large blocks, up to 64 MB, and keeps what parts and pages used): peak RSS ~70 MB lower in
# `pnpm bench` at no cost in throughput (docs/performance.md).
ENV MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
# Same relative path as in the repository, so the entry point reads as it does in development.
# Owned by root: the process cannot modify its own code.
COPY --from=build /out /app/packages/cli
# /data: the default file sink, and the store (claim checks, index, dead letters) when it is a file. Created here so a fresh
# named volume inherits the `node` owner.
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME ["/data"]
# Prometheus /metrics (config `metrics.port`).
EXPOSE 9464
# Node's heap cap sized from the container's memory (bin/heap-cap.js; ENTRA_INGEST_WORKER_MEMORY_MB overrides the
# limit): without it V8 sizes its heap from the host and grows far past what is live. A --max-old-space-size of
# your own in NODE_OPTIONS wins.
ENTRYPOINT ["/bin/sh", "-c", "case \" $NODE_OPTIONS\" in *--max-old-space-size=*) exec node packages/cli/bin/entra-ingest.js \"$@\";; esac; exec node --max-old-space-size=\"$(node packages/cli/bin/heap-cap.js)\" packages/cli/bin/entra-ingest.js \"$@\"", "entra-ingest"]
CMD ["worker", "--config", "/config/feeds.yaml"]
