import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { Copy, Plan } from "../src/index.js"

const CopyLive = Copy.layer.pipe(Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })))
const run1 = { runId: "run-1", until: 1_000 }
const row = (id: string, updated_at: number, name = `v${updated_at}`) => ({
  id,
  updated_at,
  json: JSON.stringify({ id, updated_at, name })
})

const stored = (table: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{
        id: string
        updated_at: number
        json: string
        seen_run: string
      }>`SELECT id, updated_at, json, seen_run FROM ${sql(table)} ORDER BY id`
  )
const parts = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql<{ id: string; updated_at: number }>`SELECT id, updated_at FROM conversation_parts ORDER BY id`
)

describe("Copy", () => {
  it.effect("keeps the newest version of an item whatever order its versions arrive in", () =>
    Effect.gen(function* () {
      const copy = yield* Copy.Copy
      yield* copy.upsert("contacts", [row("a", 10), row("b", 20)], run1)
      yield* copy.upsert("contacts", [row("a", 30), row("b", 5)], { runId: "run-2", until: 2_000 })
      // The same version again replaces (a refetch may carry more), and a batch with one id twice keeps its newest.
      yield* copy.upsert("contacts", [row("c", 7, "old"), row("c", 8, "new"), row("c", 6, "older")], run1)
      const rows = yield* stored("contacts")
      assert.deepStrictEqual(
        rows.map((r) => [r.id, Number(r.updated_at), JSON.parse(r.json).name, r.seen_run]),
        [
          ["a", 30, "v30", "run-2"],
          ["b", 20, "v20", "run-2"],
          ["c", 8, "new", "run-1"]
        ]
      )
      assert.strictEqual(yield* copy.count("contacts"), 3)
    }).pipe(Effect.provide(CopyLive))
  )

  it.effect("stores a conversation's parts by id, and removes them with it", () =>
    Effect.gen(function* () {
      const copy = yield* Copy.Copy
      const part = (id: string, created_at: number, updated_at = created_at) => ({ ...row(id, updated_at), created_at })
      yield* copy.upsertConversation(row("c1", 100), [part("p1", 10), part("p2", 20)], run1)
      // A later fetch sees the last parts only (GET returns the 500 newest): the older ones stay, an edited one changes.
      yield* copy.upsertConversation(row("c1", 200), [part("p2", 20, 150), part("p3", 30)], run1)
      assert.deepStrictEqual(
        (yield* parts).map((p) => [p.id, Number(p.updated_at)]),
        [
          ["p1", 10],
          ["p2", 150],
          ["p3", 30]
        ]
      )
      yield* copy.remove("conversations", ["c1"])
      assert.strictEqual((yield* parts).length, 0)
      assert.strictEqual(yield* copy.count("conversations"), 0)
    }).pipe(Effect.provide(CopyLive))
  )

  it.effect("lists what a run did not see, in id order, page by page", () =>
    Effect.gen(function* () {
      const copy = yield* Copy.Copy
      yield* copy.upsert(
        "companies",
        ["a", "b", "c", "d", "e"].map((id) => row(id, 1)),
        run1
      )
      yield* copy.markSeen("companies", ["b", "d"], "run-2")
      assert.deepStrictEqual(yield* copy.unseen("companies", "run-2", "", 2), ["a", "c"])
      assert.deepStrictEqual(yield* copy.unseen("companies", "run-2", "c", 2), ["e"])
    }).pipe(Effect.provide(CopyLive))
  )

  it.effect("stores a plan before the run and its history after", () =>
    Effect.gen(function* () {
      const copy = yield* Copy.Copy
      assert.strictEqual(yield* copy.nextSeq, 1)
      const plan = Plan.make(
        "run-1",
        { ...Plan.defaults, partitions: 3 },
        { syncedUntil: {}, reconciledAt: null },
        1_800_000_000
      )
      yield* copy.begin(plan, 1, 1_800_000_001)
      const pending = yield* copy.pending
      assert.isTrue(Option.isSome(pending))
      assert.deepStrictEqual(Option.getOrThrow(pending).plan, plan)
      yield* copy.failed("run-1", "contacts:1/3: the server answered 500", 1_800_000_050)
      assert.strictEqual(Option.getOrThrow(yield* copy.pending).lastError, "contacts:1/3: the server answered 500")
      yield* copy.finish(plan, "{}", 1_800_000_100)
      assert.isTrue(Option.isNone(yield* copy.pending))
      const history = yield* copy.history
      assert.deepStrictEqual(history.syncedUntil, {
        contacts: 1_800_000_000,
        companies: 1_800_000_000,
        conversations: 1_800_000_000,
        tickets: 1_800_000_000
      })
      // A first run walked everything: it counts as a reconciliation.
      assert.strictEqual(history.reconciledAt, 1_800_000_000)
      assert.strictEqual(yield* copy.nextSeq, 2)
    }).pipe(Effect.provide(CopyLive))
  )
})

describe("Copy's tables", () => {
  it.effect(
    "a copy with every table and index opens with one read of the catalog; one missing any is completed",
    () => {
      // Every identifier a statement escapes passes here: the tables' DDL names them, the catalog read names none.
      const named: Array<string> = []
      return Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* Copy.make
        assert.includeMembers(named, ["contacts", "contacts_seen_idx", "conversation_parts", "sync_runs", "sync_state"])
        named.length = 0
        yield* Copy.make
        assert.deepStrictEqual(named, [])
        yield* sql.unsafe("DROP INDEX tickets_seen_idx")
        yield* Copy.make
        assert.include(named, "tickets_seen_idx")
        const index = yield* sql.unsafe("SELECT name FROM sqlite_master WHERE name = 'tickets_seen_idx'")
        assert.lengthOf(index, 1)
      }).pipe(
        Effect.provide(SqliteClient.layer({ filename: ":memory:", transformQueryNames: (n) => (named.push(n), n) }))
      )
    }
  )
})

describe("Copy in a schema", () => {
  it.effect("a schema name that is not a plain identifier is refused before any statement", () =>
    Effect.gen(function* () {
      const statements: Array<string> = []
      const error = yield* Effect.flip(Copy.makeWith({ schema: 'x"; DROP TABLE contacts; --' })).pipe(
        Effect.provide(
          SqliteClient.layer({ filename: ":memory:", transformQueryNames: (n) => (statements.push(n), n) })
        )
      )
      assert.strictEqual(error._tag, "CopyError")
      assert.match(error.message, /not a plain identifier/)
      assert.deepStrictEqual(statements, [])
      for (const ok of ["intercom_acme", "_a1", "A".repeat(63)]) assert.isTrue(Copy.isSchemaName(ok), ok)
      for (const bad of ["", "1a", "a-b", "a.b", "A".repeat(64), "é"]) assert.isFalse(Copy.isSchemaName(bad), bad)
    })
  )
})
