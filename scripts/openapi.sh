#!/usr/bin/env bash
# npm run docs:openapi: each app's OpenAPI document from its compiled controllers (no database, no
# port: apps/<app>/src/openapi.ts), then the typed client's types from those documents.
# test/integration/openapi.spec.ts fails when the committed files differ from what this writes.
set -euo pipefail
cd "$(dirname "$0")/.."
for app in ingest-api query-api decision-engine console; do
  node scripts/node-app.js "dist/apps/$app/src/openapi.js" "docs/openapi/$app.json"
  node_modules/.bin/openapi-typescript "docs/openapi/$app.json" -o "packages/client/src/generated/$app.ts"
done
