import { assert, it } from "@effect/vitest"
import { createRequire } from "node:module"

// Resolved the way a consumer's Node resolves them: through the package name and its "exports".
const resolve = createRequire(import.meta.url).resolve

it("exposes every public module under its own path and keeps internal/ unreachable", () => {
  for (const module of [
    "MockIntercom",
    "Server",
    "State",
    "Seed",
    "RateLimit",
    "Faults",
    "Counters",
    "Search",
    "Reply",
    "Cli",
    "Living",
    "Snapshot",
    "Control",
    "routes/Contacts"
  ]) {
    assert.match(resolve(`@intercom-effect/mock-server/${module}`), new RegExp(`/src/${module}\\.ts$`))
  }
  assert.match(resolve("@intercom-effect/mock-server"), /\/src\/index\.ts$/)
  assert.throws(() => resolve("@intercom-effect/mock-server/internal/prng"), /not (defined by|exported)/i)
})
