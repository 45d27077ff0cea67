#!/usr/bin/env node
// The command runs its TypeScript source through tsx (this app is not built), from wherever it is started:
// `pnpm --filter @intercom-effect/export exec intercom-export …` or a link in node_modules/.bin.
import { register } from "tsx/esm/api"

register()
await import("../src/main.ts")
