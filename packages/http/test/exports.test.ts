import { assert, it } from "@effect/vitest"
import { createRequire } from "node:module"

// Resolved the way a consumer's Node resolves them: through the package name and its "exports".
const resolve = createRequire(import.meta.url).resolve

it("exposes every public module under its own path and keeps internal/ unreachable", () => {
  for (const module of [
    "ClientMetrics",
    "IntercomClient",
    "IntercomConfig",
    "IntercomError",
    "RateLimit",
    "RetryPolicy",
    "SharedBudget",
    "SharedBudget/Redis"
  ]) {
    assert.match(resolve(`@intercom-effect/http/${module}`), new RegExp(`/src/${module}\\.ts$`))
  }
  assert.match(resolve("@intercom-effect/http"), /\/src\/index\.ts$/)
  assert.throws(() => resolve("@intercom-effect/http/internal/client"), /not (defined by|exported)/i)
})
