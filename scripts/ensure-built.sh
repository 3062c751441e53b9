#!/usr/bin/env sh
# Runs before migrate/start:api/start:worker/start:witness: a fresh clone (after `npm ci`) is built once, so the
# documented start commands work without a separate build step.
if [ ! -f dist/apps/api/src/main.js ] || [ ! -f dist/apps/worker/src/main.js ] || [ ! -f dist/apps/witness/src/main.js ] || [ ! -f dist/migrations/run.js ] || [ ! -f apps/web/dist/index.html ]; then
  echo "clearance: no build found; building first (npm run build)"
  npm run build
fi
