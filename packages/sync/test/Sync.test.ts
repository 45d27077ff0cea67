/**
 * `Sync.start` / `wait` / `scheduled` on the embedded engine (one runner over SQLite) against the mock on 127.0.0.1:
 * a watch run whose next window is more than a minute away sleeps on a durable clock, which suspends its workflow;
 * that is a run waiting, not a run stopped.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { assert, describe, it } from "@effect/vitest"
import { IntercomConfig } from "@intercom-effect/http"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Effect, Layer, Option } from "effect"
import { Copy, Engine, Plan, Progress, Run, Sync } from "../src/index.js"

const token = "sync-test-token"

/** The mock with 120 contacts, a copy in memory, and the workflows on the embedded engine. */
const TestLive = Layer.unwrapScoped(
  Effect.map(MockIntercom.MockIntercom, (mock) =>
    Run.layer.pipe(
      Layer.provideMerge(Layer.mergeAll(Copy.layer, Progress.silent)),
      Layer.provideMerge(
        Intercom.layer.pipe(
          Layer.provide(IntercomConfig.layer({ accessToken: token, baseUrl: mock.url })),
          Layer.provide(NodeHttpClient.layerUndici)
        )
      ),
      Layer.provideMerge(Engine.layerSingle),
      Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }))
    )
  )
).pipe(
  Layer.provide(MockIntercom.layer({ seed: 3, contacts: 120, companies: 1, conversations: 0, accessToken: token }))
)

describe("Sync", () => {
  it.live(
    "a committed run sleeping on its durable clock is waited for and found by scheduled, not reported stopped",
    () =>
      Effect.gen(function* () {
        const options = { ...Plan.defaults, resources: ["contacts" as const], perPage: 50, onPending: "fail" as const }
        const started = yield* Sync.start({ ...options, every: "10 minutes" })
        const summary = yield* Sync.wait(started, { committed: true })
        assert.strictEqual(summary.changes["contacts"]?.items, 120)
        // Past the commit the workflow suspends on its clock (longer than the engine keeps in memory).
        const sleeping = yield* Sync.scheduled
        assert.isTrue(Option.isSome(sleeping), "the sleeping run is the scheduled one")
        assert.strictEqual(Option.getOrThrow(sleeping).plan.runId, started.plan.runId)
        // Waiting for the workflow to end waits for the next window: still waiting 3 s on, with no stop reported.
        const waited = yield* Sync.wait(started).pipe(
          Effect.either,
          Effect.timeoutTo({ duration: "3 seconds", onSuccess: Option.some, onTimeout: Option.none })
        )
        assert.isTrue(Option.isNone(waited), `wait ended early: ${JSON.stringify(waited)}`)
      }).pipe(Effect.provide(TestLive)),
    { timeout: 60_000 }
  )
})
