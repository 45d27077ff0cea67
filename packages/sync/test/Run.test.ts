import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { assert, describe, it } from "@effect/vitest"
import { IntercomConfig } from "@intercom-effect/http"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Effect, Either, Layer, Option, Schema, TestClock } from "effect"
import { Copy, Pages, Plan, Progress, Run, Sync } from "../src/index.js"

const token = "run-test-token"
const contacts = 700

/** A mock on 127.0.0.1 with `contacts` contacts, and a copy in memory synced from it (no workflow engine). */
const TestLive = Layer.unwrapScoped(
  Effect.map(MockIntercom.MockIntercom, (mock) =>
    Layer.mergeAll(Copy.layer, Progress.silent).pipe(
      Layer.provideMerge(
        Intercom.layer.pipe(
          Layer.provide(IntercomConfig.layer({ accessToken: token, baseUrl: mock.url })),
          Layer.provide(NodeHttpClient.layerUndici)
        )
      ),
      Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }))
    )
  )
).pipe(Layer.provide(MockIntercom.layer({ seed: 15, contacts, companies: 1, conversations: 0, accessToken: token })))

const options: Plan.Options = { ...Plan.defaults, resources: ["contacts"], perPage: 50 }

describe("Run", () => {
  it.scoped("a step walks pages until they have taken requestsPerStep requests; its result counts them all", () =>
    Effect.gen(function* () {
      const steps: Array<{ readonly name: string; readonly encoded: unknown }> = []
      // Inline steps that record what a workflow would store under each name.
      const recording: Run.Step = (name, success, effect) =>
        Effect.tap(effect, (result) =>
          Effect.sync(() => steps.push({ name, encoded: Schema.encodeSync(success)(result) }))
        )
      const plan = yield* Sync.begin(options)
      const summary = yield* Run.body(plan, recording, (w) => Run.walkOne(plan, w, recording)).pipe(
        Effect.provideService(Run.RunConfig, { ...Run.defaultConfig, requestsPerStep: 4 })
      )
      // 700 contacts are 14 pages of 50: steps of 4, 4, 4 and 2 pages, then the commit.
      assert.deepStrictEqual(
        steps.map((step) => step.name),
        ["contacts/1", "contacts/2", "contacts/3", "contacts/4", "commit"]
      )
      const stored = steps.slice(0, 4).map((step) => step.encoded as { pages: number; items: number; next: unknown })
      assert.deepStrictEqual(
        stored.map((result) => [result.pages, result.items]),
        [
          [4, 200],
          [4, 200],
          [4, 200],
          [2, 100]
        ]
      )
      assert.isNotNull(stored[2]!.next)
      assert.isNull(stored[3]!.next)
      const counts = summary.changes["contacts"]!
      assert.deepStrictEqual([counts.pages, counts.items, counts.requests], [14, contacts, 14])
      assert.strictEqual(yield* Effect.flatMap(Copy.Copy, (copy) => copy.count("contacts")), contacts)
    }).pipe(Effect.provide(TestLive))
  )

  it.scoped("a step also ends once it has run stepTime, whatever it has fetched (TestClock: 4 s a page)", () =>
    Effect.gen(function* () {
      const names: Array<string> = []
      const recording: Run.Step = (name, _success, effect) =>
        Effect.tap(effect, () => Effect.sync(() => names.push(name)))
      // Each page reported moves the test clock on 4 seconds, as a walk sharing a busy budget would take.
      const slow = Layer.succeed(Progress.Progress, {
        page: () => TestClock.adjust("4 seconds"),
        waiting: () => Effect.void
      })
      const plan = yield* Sync.begin(options)
      const summary = yield* Run.body(plan, recording, (w) => Run.walkOne(plan, w, recording)).pipe(
        Effect.provideService(Run.RunConfig, { ...Run.defaultConfig, requestsPerStep: 50, stepTime: "10 seconds" }),
        Effect.provide(slow)
      )
      // 14 pages of 50: a step ends after its third page (12 s), so 3, 3, 3, 3 and 2 pages, then the commit.
      assert.deepStrictEqual(names, ["contacts/1", "contacts/2", "contacts/3", "contacts/4", "contacts/5", "commit"])
      assert.strictEqual(summary.changes["contacts"]!.items, contacts)
    }).pipe(Effect.provide(TestLive))
  )

  it("a result stored when a step was one page, without `pages`, replays as one page", () => {
    const decoded = Schema.decodeUnknownSync(Pages.PageResult)({
      next: { _tag: "Cursor", startingAfter: "abc" },
      items: 150,
      requests: 1,
      removed: 0,
      restart: false
    })
    assert.strictEqual(decoded.pages, 1)
    assert.strictEqual(decoded.items, 150)
  })

  it.scoped("runInline copies like a run and commits its window; a pending run is refused, not resumed", () =>
    Effect.gen(function* () {
      const copy = yield* Copy.Copy
      const summary = yield* Sync.runInline(options)
      assert.strictEqual(summary.changes["contacts"]!.items, contacts)
      assert.strictEqual(yield* copy.count("contacts"), contacts)
      const history = yield* copy.history
      assert.strictEqual(history.syncedUntil.contacts, summary.until)
      assert.isTrue(Option.isNone(yield* copy.pending))

      // A run planned and stored, never finished: an inline run will not walk over it.
      const pending = yield* Sync.begin(options)
      const refused = yield* Effect.either(Sync.runInline(options))
      assert.isTrue(Either.isLeft(refused))
      if (Either.isLeft(refused)) {
        assert.strictEqual(refused.left._tag, "PendingRun")
        assert.include(refused.left.message, pending.runId)
      }
    }).pipe(Effect.provide(TestLive))
  )
})
