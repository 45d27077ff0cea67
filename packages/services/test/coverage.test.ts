/**
 * Coverage against the spec file itself (read from ../shared, not from the generated table): every (method, path)
 * of the 108 operations is served by exactly one service method, and that method exists on the built service.
 */
import { assert, it } from "@effect/vitest"
import { describeWithSpec, spec } from "@intercom-effect/codegen/testing"
import { Effect } from "effect"
import { operations } from "@intercom-effect/schemas"
import { withServices } from "./utils/services.js"

const methods = ["get", "put", "post", "delete", "patch"] as const

describeWithSpec("coverage", () => {
  it.effect("each of the spec's operations has exactly one service method, and the services have it", () =>
    withServices("http://127.0.0.1:9", (services) =>
      Effect.sync(() => {
        const pairs: Array<readonly [string, string]> = []
        for (const [path, item] of Object.entries(spec().paths)) {
          for (const method of methods) if (item[method] !== undefined) pairs.push([method.toUpperCase(), path])
        }
        const entries = Object.values(operations)
        const problems: Array<string> = []
        let covered = 0
        for (const [method, path] of pairs) {
          const hits = entries.filter((e) => e.method === method && e.path === path)
          if (hits.length !== 1) {
            problems.push(`${method} ${path}: ${hits.length} service methods`)
            continue
          }
          const { service, call: name } = hits[0]!
          const target = (services as unknown as Record<string, Record<string, unknown>>)[service]?.[name]
          if (typeof target !== "function") problems.push(`${method} ${path}: ${service}.${name} is not a method`)
          else covered++
        }
        // eslint-disable-next-line no-console -- the figure is what this test reports
        console.log(`${covered}/${pairs.length} operations have exactly one service method`)
        assert.deepStrictEqual(problems, [])
        assert.strictEqual(pairs.length, 108)
        assert.strictEqual(entries.length, 108)
      })
    )
  )
})
