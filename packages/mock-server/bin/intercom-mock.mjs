#!/usr/bin/env node
// In the repository the command runs its TypeScript source through tsx; the published package's bin is dist/bin.js.
import { register } from "tsx/esm/api"

register()
await import("../src/bin.ts")
