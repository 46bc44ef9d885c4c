# syntax=docker/dockerfile:1
# ChatFlow image: `docker build -t chatflow/chatflow:0.1.0 .`
# The app runs its TypeScript sources through tsx (a runtime dependency), so
# the build stage type-checks and prunes; there is no compiled output to copy.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc --noEmit -p . \
 && find src installer migrations -name '*.test.ts' -delete \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    CHATFLOW_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
RUN groupadd --system --gid 10001 chatflow \
 && useradd --system --uid 10001 --gid chatflow --home-dir /data --no-create-home --shell /usr/sbin/nologin chatflow \
 && mkdir -p /data \
 && chown chatflow:chatflow /data \
 && chmod 0750 /data
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/src ./src
COPY --from=build /app/installer ./installer
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/views ./views
COPY --from=build /app/public ./public
COPY --from=build /app/branding ./branding
COPY --from=build /app/docker/healthcheck.mjs ./docker/healthcheck.mjs
COPY --from=build /app/LICENSE /app/README.md /app/INSTALL.md ./
# `chatflow …` works in `docker exec` and `docker compose run` without npx.
RUN chmod 0755 bin/chatflow.mjs \
 && ln -s /app/bin/chatflow.mjs /usr/local/bin/chatflow
USER chatflow
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.mjs"]
CMD ["chatflow", "start"]
