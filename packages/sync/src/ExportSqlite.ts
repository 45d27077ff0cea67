/**
 * The store in SQLite (@effect/sql-sqlite-node): one table of items keyed by (resource, id), one of walk progress.
 * A page is one transaction: its items and the walk's new progress commit together or not at all.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer, Option, Schema } from "effect"
import { type Item, Plan, ProgressJson, type Resource, Store, StoreError } from "./ExportStore.js"

const decodeProgress = Schema.decodeUnknown(Schema.parseJson(ProgressJson))
const encodeProgress = Schema.encode(Schema.parseJson(ProgressJson))
const decodePlan = Schema.decodeUnknown(Schema.parseJson(Plan))
const encodePlan = Schema.encode(Schema.parseJson(Plan))

const failed = (operation: string) => (error: { readonly message: string }) =>
  new StoreError({ operation, detail: error.message })

/**
 * The store over the `SqlClient` in context; creates its tables.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS items (resource TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (resource, id))`
  yield* sql`CREATE TABLE IF NOT EXISTS walks (walk TEXT PRIMARY KEY, progress TEXT NOT NULL)`
  yield* sql`CREATE TABLE IF NOT EXISTS plan (id INTEGER PRIMARY KEY CHECK (id = 1), plan TEXT NOT NULL)`
  return Store.of({
    progress: (walk) =>
      sql<{ readonly progress: string }>`SELECT progress FROM walks WHERE walk = ${walk}`.pipe(
        Effect.mapError(failed("read progress")),
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.succeedNone
            : Effect.asSome(Effect.mapError(decodeProgress(rows[0].progress), failed("decode progress")))
        )
      ),
    write: (walk, resource, items, progress) =>
      Effect.gen(function* () {
        const json = yield* Effect.mapError(encodeProgress(progress), failed("encode progress"))
        if (items.length > 0) {
          const rows = items.map((item: Item) => ({ resource, id: item.id, json: JSON.stringify(item) }))
          yield* sql`INSERT OR REPLACE INTO items ${sql.insert(rows)}`
        }
        yield* sql`INSERT OR REPLACE INTO walks ${sql.insert({ walk, progress: json })}`
      }).pipe(sql.withTransaction, Effect.mapError(failed("write page"))),
    plan: sql<{ readonly plan: string }>`SELECT plan FROM plan WHERE id = 1`.pipe(
      Effect.mapError(failed("read plan")),
      Effect.flatMap((rows) =>
        rows[0] === undefined
          ? Effect.succeedNone
          : Effect.asSome(Effect.mapError(decodePlan(rows[0].plan), failed("decode plan")))
      )
    ),
    savePlan: (plan) =>
      Effect.flatMap(Effect.mapError(encodePlan(plan), failed("encode plan")), (json) =>
        Effect.mapError(sql`INSERT OR REPLACE INTO plan ${sql.insert({ id: 1, plan: json })}`, failed("write plan"))
      ),
    count: (resource: Resource) =>
      sql<{ readonly n: number }>`SELECT COUNT(*) AS n FROM items WHERE resource = ${resource}`.pipe(
        Effect.map((rows) => Option.getOrElse(Option.fromNullable(rows[0]?.n), () => 0)),
        Effect.mapError(failed("count"))
      )
  })
})

/**
 * The store in the SQLite file `filename`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (filename: string): Layer.Layer<Store, StoreError> =>
  Layer.effect(Store, make).pipe(
    Layer.provide(SqliteClient.layer({ filename })),
    Layer.mapError((error) => new StoreError({ operation: "open", detail: error.message }))
  )

/**
 * The ids of a resource held in the SQLite file `filename`, read in one query (for checks and tooling).
 *
 * @since 0.1.0
 * @category reading
 */
export const ids = (filename: string, resource: Resource): Effect.Effect<ReadonlyArray<string>, StoreError> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly id: string }>`SELECT id FROM items WHERE resource = ${resource}`
    return rows.map((row) => row.id)
  }).pipe(
    Effect.provide(SqliteClient.layer({ filename, readonly: true })),
    // Opening a file that is not (yet) a database throws inside the driver: a failure here, not a defect.
    Effect.catchAllDefect((defect) =>
      Effect.fail(new Error(defect instanceof Error ? defect.message : String(defect)))
    ),
    Effect.mapError((error) => new StoreError({ operation: "read ids", detail: error.message }))
  )
