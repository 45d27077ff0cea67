/**
 * The stored copy of a workspace, in any SQL database `@effect/sql` speaks (SQLite embedded, Postgres to scale).
 *
 * One table per resource, each row an item as Intercom sent it (`json`) with the columns a sync needs beside it:
 *
 * | table                | key                 | columns                                                        |
 * | -------------------- | ------------------- | -------------------------------------------------------------- |
 * | `contacts`           | `id`                | `updated_at`, `json`, `synced_at`, `seen_run`                  |
 * | `companies`          | `id`                | the same                                                       |
 * | `conversations`      | `id`                | the same; `json` without its parts                             |
 * | `conversation_parts` | `id`                | `conversation_id`, `created_at`, `updated_at`, `json`          |
 * | `tickets`            | `id`                | the same as contacts                                           |
 * | `sync_runs`          | `run_id`            | `seq`, `plan` (JSON), `status`, times, `summary`, last error   |
 * | `sync_state`         | `resource`          | `synced_until`: the end of the last finished window            |
 *
 * Every write is an upsert that keeps the newest `updated_at`: a page stored twice (a run resumed after a crash, two
 * windows overlapping by a day) changes nothing the second time, and an older copy of an item never replaces a newer
 * one. `seen_run` records the last run that saw an item; a reconciling run looks up whatever it did not see.
 *
 * @since 0.1.0
 */
import { SqlClient, type SqlError } from "@effect/sql"
import { Context, Effect, Layer, type Option, Schema } from "effect"
import * as Plan from "./Plan.js"

/**
 * The stored copy failed to read or write.
 *
 * @since 0.1.0
 * @category errors
 */
export class CopyError extends Schema.TaggedError<CopyError>()("CopyError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `the stored copy could not ${this.operation}: ${this.detail}`
  }
}

/**
 * An item as stored: its id, its `updated_at` (unix seconds) and its JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly id: string
  readonly updated_at: number
  readonly json: string
}

/**
 * A conversation part as stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface PartRow extends Row {
  readonly created_at: number
}

/**
 * A stored run, for `status`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunRecord {
  readonly runId: string
  readonly plan: Plan.Plan
  readonly status: "running" | "done" | "abandoned"
  /** Unix seconds of the local clock. */
  readonly startedAt: number
  readonly finishedAt: number | null
  readonly summary: string | null
  readonly lastError: string | null
  readonly errorAt: number | null
}

/**
 * The copy's service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Upserts items of a resource, keeping the newest `updated_at`, and marks them seen by `runId`. */
  readonly upsert: (
    resource: "contacts" | "companies" | "tickets",
    rows: ReadonlyArray<Row>,
    run: { readonly runId: string; readonly until: number }
  ) => Effect.Effect<void, CopyError>
  /** Upserts a conversation (without its parts) and its parts, together. */
  readonly upsertConversation: (
    conversation: Row,
    parts: ReadonlyArray<PartRow>,
    run: { readonly runId: string; readonly until: number }
  ) => Effect.Effect<void, CopyError>
  /** Marks ids seen by `runId` without changing them (a reconciling walk). */
  readonly markSeen: (
    resource: Plan.Resource,
    ids: ReadonlyArray<string>,
    runId: string
  ) => Effect.Effect<void, CopyError>
  /** Which of `ids` the copy does not hold. */
  readonly missing: (
    resource: Plan.Resource,
    ids: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyArray<string>, CopyError>
  /** Up to `limit` ids of a resource that `runId` has not seen, after `after` (ids in order), for a sweep. */
  readonly unseen: (
    resource: Plan.Resource,
    runId: string,
    after: string,
    limit: number
  ) => Effect.Effect<ReadonlyArray<string>, CopyError>
  /** Removes items (a conversation with its parts). */
  readonly remove: (resource: Plan.Resource, ids: ReadonlyArray<string>) => Effect.Effect<void, CopyError>
  /** How many items of a resource the copy holds. */
  readonly count: (resource: Plan.Resource) => Effect.Effect<number, CopyError>
  /** What earlier finished runs synced, for the next plan. */
  readonly history: Effect.Effect<Plan.History, CopyError>
  /** The run that was started and neither finished nor abandoned, if any. */
  readonly pending: Effect.Effect<Option.Option<RunRecord>, CopyError>
  /** The number the next run gets (1 for the first). */
  readonly nextSeq: Effect.Effect<number, CopyError>
  /** Stores a new run's plan, before its first request. */
  readonly begin: (plan: Plan.Plan, seq: number, startedAt: number) => Effect.Effect<void, CopyError>
  /** Records a finished run: every resource is synced up to its `until`, ids reconciled if it did (or walked all). */
  readonly finish: (plan: Plan.Plan, summary: string, finishedAt: number) => Effect.Effect<void, CopyError>
  /** Records why a run stopped; it stays pending, to be resumed. */
  readonly failed: (runId: string, error: string, at: number) => Effect.Effect<void, CopyError>
  /** Gives up a pending run: the next run plans afresh (what it stored stays, being correct as far as it goes). */
  readonly abandon: (runId: string, at: number) => Effect.Effect<void, CopyError>
  /** One run by id. */
  readonly run: (runId: string) => Effect.Effect<Option.Option<RunRecord>, CopyError>
  /** Runs, newest first. */
  readonly runs: (limit: number) => Effect.Effect<ReadonlyArray<RunRecord>, CopyError>
}

/**
 * The copy's tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Copy extends Context.Tag("@intercom-effect/sync/Copy")<Copy, Service>() {}

const itemTables = ["contacts", "companies", "conversations", "tickets"] as const

/**
 * Whether the tables and indexes `names` are all in the copy's schema, in one read of the database's catalog (a
 * dialect without one here answers no, and the copy's statements, each `IF NOT EXISTS`, say the rest).
 */
const complete = (sql: SqlClient.SqlClient, schema: string | undefined, names: ReadonlyArray<string>) =>
  sql
    .onDialectOrElse({
      pg: () =>
        sql<Named>`SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema ?? sql`current_schema()`}`,
      sqlite: () => sql<Named>`SELECT name FROM sqlite_master WHERE type IN ('table', 'index')`,
      orElse: () => Effect.succeed<ReadonlyArray<Named>>([])
    })
    .pipe(
      Effect.map((rows) => {
        const found = new Set(rows.map((row) => row.name))
        return names.every((name) => found.has(name))
      })
    )

/** A row of a catalog read. */
interface Named {
  readonly name: string
}

/**
 * A failure as a `CopyError`. A `SqlError` says only that a statement failed; the database's own words (a missing
 * right, a full disk) are in its cause, and the detail carries them.
 */
const failed =
  (operation: string) =>
  (error: { readonly message: string; readonly cause?: unknown }): CopyError =>
    new CopyError({
      operation,
      detail: error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message
    })

const decodePlan = Schema.decodeUnknown(Plan.PlanFromJson)
const encodePlan = Schema.encode(Plan.PlanFromJson)

/** Keeps the newest version of each id in a batch: one statement may not touch a row twice (Postgres refuses). */
const newestById = <R extends Row>(rows: ReadonlyArray<R>): Array<R> => {
  const byId = new Map<string, R>()
  for (const row of rows) {
    const seen = byId.get(row.id)
    if (seen === undefined || row.updated_at >= seen.updated_at) byId.set(row.id, row)
  }
  return [...byId.values()]
}

interface RunRow {
  readonly run_id: string
  readonly plan: string
  readonly status: string
  readonly started_at: number | string
  readonly finished_at: number | string | null
  readonly summary: string | null
  readonly last_error: string | null
  readonly error_at: number | string | null
}

// BIGINT columns come back as strings from Postgres: numbers here are unix seconds, well inside 2^53.
const num = (value: number | string | null): number | null => (value === null ? null : Number(value))

/**
 * Where a copy's tables live in its database.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * A Postgres schema holding this copy's tables (created when missing), so that many workspaces share one database
   * and one connection pool, each copy in a schema of its own. Unset, the tables are found on the connection's search
   * path (SQLite has no schemas: one file per copy).
   */
  readonly schema?: string | undefined
}

/**
 * A schema name is a Postgres identifier chosen by whoever configures the sync: letters, digits and `_`, starting with
 * a letter or `_`, at most 63 bytes (longer names Postgres would cut, and two copies could then meet in one schema).
 *
 * @since 0.1.0
 * @category models
 */
export const isSchemaName = (name: string): boolean => /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)

/**
 * The copy over the `SqlClient` in context; creates its tables when they are missing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, CopyError, SqlClient.SqlClient> = Effect.suspend(() => makeWith({}))

/**
 * The copy over the `SqlClient` in context, its tables where `options` say.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = (options: Options): Effect.Effect<Service, CopyError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const schema = options.schema
    if (schema !== undefined && !isSchemaName(schema)) {
      return yield* new CopyError({ operation: "use its schema", detail: `"${schema}" is not a plain identifier` })
    }
    // A qualified name is escaped part by part ("schema"."table"); an index takes its table's schema by itself.
    const name = (table: string) => (schema === undefined ? table : `${schema}.${table}`)
    const t = (table: string) => sql(name(table))
    // Every table and index of the copy, named, in the order they are created.
    const objects: ReadonlyArray<readonly [name: string, create: Effect.Effect<unknown, SqlError.SqlError>]> = [
      ...itemTables.flatMap((table) => [
        [
          table,
          sql`CREATE TABLE IF NOT EXISTS ${t(table)} (id TEXT PRIMARY KEY, updated_at BIGINT NOT NULL, json TEXT NOT NULL, synced_at BIGINT NOT NULL, seen_run TEXT NOT NULL)`
        ] as const,
        [
          `${table}_seen_idx`,
          sql`CREATE INDEX IF NOT EXISTS ${sql(`${table}_seen_idx`)} ON ${t(table)} (seen_run, id)`
        ] as const
      ]),
      [
        "conversation_parts",
        sql`CREATE TABLE IF NOT EXISTS ${t("conversation_parts")} (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, json TEXT NOT NULL)`
      ],
      [
        "conversation_parts_conversation_idx",
        sql`CREATE INDEX IF NOT EXISTS conversation_parts_conversation_idx ON ${t("conversation_parts")} (conversation_id, created_at)`
      ],
      [
        "sync_runs",
        sql`CREATE TABLE IF NOT EXISTS ${t("sync_runs")} (run_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, plan TEXT NOT NULL, status TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT, summary TEXT, last_error TEXT, error_at BIGINT)`
      ],
      [
        "sync_state",
        sql`CREATE TABLE IF NOT EXISTS ${t("sync_state")} (resource TEXT PRIMARY KEY, synced_until BIGINT NOT NULL, run_id TEXT NOT NULL)`
      ]
    ]
    const names = objects.map(([name]) => name)
    // Every runner of a cluster opens a workspace's copy when it first executes one of its walks, while others write
    // to it. `CREATE INDEX IF NOT EXISTS` locks its table even when the index is there (it waits for every write in
    // flight and holds back the writes behind it) and needs the table's owner: an existing copy is checked in one
    // read of the catalog instead, which takes no lock and needs only the rights to read and write rows.
    const ready = yield* complete(sql, schema, names).pipe(Effect.mapError(failed("read its tables")))
    if (!ready) {
      if (schema !== undefined) {
        yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`.pipe(Effect.mapError(failed("create its schema")))
      }
      yield* Effect.forEach(objects, ([, create]) => create, { discard: true }).pipe(
        Effect.mapError(failed("create its tables"))
      )
    }

    const upsertSql = (table: string, rows: ReadonlyArray<Record<string, string | number>>) => {
      const target = t(table)
      // Every SET expression reads the row as it was, so `updated_at` is compared before any column changes.
      const newer = sql`excluded.updated_at >= ${target}.updated_at`
      return sql`INSERT INTO ${target} ${sql.insert(rows)} ON CONFLICT (id) DO UPDATE SET
      json = CASE WHEN ${newer} THEN excluded.json ELSE ${target}.json END,
      synced_at = CASE WHEN ${newer} THEN excluded.synced_at ELSE ${target}.synced_at END,
      updated_at = CASE WHEN ${newer} THEN excluded.updated_at ELSE ${target}.updated_at END,
      seen_run = excluded.seen_run`
    }

    const upsertParts = (
      conversationId: string,
      parts: ReadonlyArray<PartRow>
    ): Effect.Effect<void, SqlError.SqlError> => {
      if (parts.length === 0) return Effect.void
      const rows = newestById(parts).map((part) => ({
        id: part.id,
        conversation_id: conversationId,
        created_at: part.created_at,
        updated_at: part.updated_at,
        json: part.json
      }))
      const target = t("conversation_parts")
      const newer = sql`excluded.updated_at >= ${target}.updated_at`
      return sql`INSERT INTO ${target} ${sql.insert(rows)} ON CONFLICT (id) DO UPDATE SET
      json = CASE WHEN ${newer} THEN excluded.json ELSE ${target}.json END,
      updated_at = CASE WHEN ${newer} THEN excluded.updated_at ELSE ${target}.updated_at END,
      conversation_id = excluded.conversation_id`.pipe(Effect.asVoid)
    }

    const runRecord = (row: RunRow) =>
      decodePlan(row.plan).pipe(
        Effect.map(
          (plan): RunRecord => ({
            runId: row.run_id,
            plan,
            status: row.status === "done" ? "done" : row.status === "abandoned" ? "abandoned" : "running",
            startedAt: num(row.started_at) ?? 0,
            finishedAt: num(row.finished_at),
            summary: row.summary,
            lastError: row.last_error,
            errorAt: num(row.error_at)
          })
        ),
        Effect.mapError(failed("read a stored plan"))
      )

    return Copy.of({
      upsert: (resource, rows, run) => {
        if (rows.length === 0) return Effect.void
        const values = newestById(rows).map((row) => ({
          id: row.id,
          updated_at: row.updated_at,
          json: row.json,
          synced_at: run.until,
          seen_run: run.runId
        }))
        return upsertSql(resource, values).pipe(Effect.asVoid, Effect.mapError(failed(`store ${resource}`)))
      },
      upsertConversation: (conversation, parts, run) =>
        upsertSql("conversations", [
          {
            id: conversation.id,
            updated_at: conversation.updated_at,
            json: conversation.json,
            synced_at: run.until,
            seen_run: run.runId
          }
        ]).pipe(
          Effect.zipRight(upsertParts(conversation.id, parts)),
          sql.withTransaction,
          Effect.asVoid,
          Effect.mapError(failed("store a conversation"))
        ),
      markSeen: (resource, ids, runId) =>
        ids.length === 0
          ? Effect.void
          : sql`UPDATE ${t(resource)} SET seen_run = ${runId} WHERE ${sql.in("id", ids)}`.pipe(
              Effect.asVoid,
              Effect.mapError(failed(`mark ${resource} seen`))
            ),
      missing: (resource, ids) =>
        ids.length === 0
          ? Effect.succeed([])
          : sql<{ readonly id: string }>`SELECT id FROM ${t(resource)} WHERE ${sql.in("id", ids)}`.pipe(
              Effect.map((rows) => {
                const held = new Set(rows.map((row) => row.id))
                return ids.filter((id) => !held.has(id))
              }),
              Effect.mapError(failed(`look up ${resource}`))
            ),
      unseen: (resource, runId, after, limit) =>
        sql<{
          readonly id: string
        }>`SELECT id FROM ${t(resource)} WHERE seen_run <> ${runId} AND id > ${after} ORDER BY id LIMIT ${limit}`.pipe(
          Effect.map((rows) => rows.map((row) => row.id)),
          Effect.mapError(failed(`list unseen ${resource}`))
        ),
      remove: (resource, ids) =>
        ids.length === 0
          ? Effect.void
          : Effect.gen(function* () {
              if (resource === "conversations") {
                yield* sql`DELETE FROM ${t("conversation_parts")} WHERE ${sql.in("conversation_id", ids)}`
              }
              yield* sql`DELETE FROM ${t(resource)} WHERE ${sql.in("id", ids)}`
            }).pipe(sql.withTransaction, Effect.mapError(failed(`remove ${resource}`))),
      count: (resource) =>
        sql<{ readonly n: number | string }>`SELECT COUNT(*) AS n FROM ${t(resource)}`.pipe(
          Effect.map((rows) => Number(rows[0]?.n ?? 0)),
          Effect.mapError(failed(`count ${resource}`))
        ),
      history: Effect.gen(function* () {
        const rows = yield* sql<{
          readonly resource: string
          readonly synced_until: number | string
        }>`SELECT resource, synced_until FROM ${t("sync_state")}`
        const syncedUntil: Partial<Record<Plan.Resource, number>> = {}
        let reconciledAt: number | null = null
        for (const row of rows) {
          if (row.resource === "reconciled") reconciledAt = Number(row.synced_until)
          else if ((Plan.resources as ReadonlyArray<string>).includes(row.resource)) {
            syncedUntil[row.resource as Plan.Resource] = Number(row.synced_until)
          }
        }
        return { syncedUntil, reconciledAt }
      }).pipe(Effect.mapError(failed("read what was synced"))),
      pending: sql<RunRow>`SELECT * FROM ${t("sync_runs")} WHERE status = 'running' ORDER BY seq DESC LIMIT 1`.pipe(
        Effect.mapError(failed("read the pending run")),
        Effect.flatMap((rows) => (rows[0] === undefined ? Effect.succeedNone : Effect.asSome(runRecord(rows[0]))))
      ),
      nextSeq: sql<{ readonly n: number | string | null }>`SELECT MAX(seq) AS n FROM ${t("sync_runs")}`.pipe(
        Effect.map((rows) => Number(rows[0]?.n ?? 0) + 1),
        Effect.mapError(failed("number the run"))
      ),
      begin: (plan, seq, startedAt) =>
        encodePlan(plan).pipe(
          Effect.mapError(failed("encode the plan")),
          Effect.flatMap(
            (json) =>
              sql`INSERT INTO ${t("sync_runs")} ${sql.insert({ run_id: plan.runId, seq, plan: json, status: "running", started_at: startedAt })}`
          ),
          Effect.asVoid,
          Effect.mapError((error) => (error._tag === "CopyError" ? error : failed("store the plan")(error)))
        ),
      finish: (plan, summary, finishedAt) =>
        Effect.gen(function* () {
          const state: Array<{ resource: string; synced_until: number; run_id: string }> = plan.resources.map(
            (resource) => ({
              resource,
              synced_until: plan.until,
              run_id: plan.runId
            })
          )
          if (plan.reconcile || plan.full)
            state.push({ resource: "reconciled", synced_until: plan.until, run_id: plan.runId })
          yield* sql`INSERT INTO ${t("sync_state")} ${sql.insert(state)} ON CONFLICT (resource) DO UPDATE SET synced_until = excluded.synced_until, run_id = excluded.run_id`
          yield* sql`UPDATE ${t("sync_runs")} SET status = 'done', finished_at = ${finishedAt}, summary = ${summary} WHERE run_id = ${plan.runId}`
        }).pipe(sql.withTransaction, Effect.mapError(failed("record the finished run"))),
      failed: (runId, error, at) =>
        sql`UPDATE ${t("sync_runs")} SET last_error = ${error}, error_at = ${at} WHERE run_id = ${runId}`.pipe(
          Effect.asVoid,
          Effect.mapError(failed("record the run's error"))
        ),
      abandon: (runId, at) =>
        sql`UPDATE ${t("sync_runs")} SET status = 'abandoned', finished_at = ${at} WHERE run_id = ${runId}`.pipe(
          Effect.asVoid,
          Effect.mapError(failed("abandon the pending run"))
        ),
      run: (runId) =>
        sql<RunRow>`SELECT * FROM ${t("sync_runs")} WHERE run_id = ${runId}`.pipe(
          Effect.mapError(failed("read a run")),
          Effect.flatMap((rows) => (rows[0] === undefined ? Effect.succeedNone : Effect.asSome(runRecord(rows[0]))))
        ),
      runs: (limit) =>
        sql<RunRow>`SELECT * FROM ${t("sync_runs")} ORDER BY seq DESC LIMIT ${limit}`.pipe(
          Effect.mapError(failed("list runs")),
          Effect.flatMap((rows) => Effect.forEach(rows, runRecord))
        )
    })
  })

/**
 * The copy as a layer over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Copy, CopyError, SqlClient.SqlClient> = Layer.effect(Copy, make)

/**
 * The copy as a layer over the `SqlClient` in context, its tables where `options` say.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<Copy, CopyError, SqlClient.SqlClient> =>
  Layer.effect(Copy, makeWith(options))
