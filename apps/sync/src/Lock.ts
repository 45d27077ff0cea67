/**
 * One `intercom-sync` per store at a time. The embedded engine keeps its runner's shards in memory, so two processes
 * on one SQLite file would both execute the same run; a row naming the process that holds the store stops the
 * second one with a clear message instead. A holder that died (SIGKILL, power loss) on this host is detected by its
 * pid and replaced, so a crash never locks a store.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import { hostname } from "node:os"

/** The store is in use by another process. */
export class StoreBusy extends Schema.TaggedError<StoreBusy>()("StoreBusy", {
  holder: Schema.String,
  since: Schema.Number
}) {
  override get message(): string {
    return `the store is in use by another intercom-sync (${this.holder}, since ${new Date(this.since * 1000).toISOString()}): wait for it to finish or stop it first`
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Holds the store for the life of the scope. */
export const acquire = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const me = { host: hostname(), pid: process.pid }
  yield* sql`CREATE TABLE IF NOT EXISTS sync_lock (name TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, since BIGINT NOT NULL)`
  const holder = sql<{
    readonly host: string
    readonly pid: number | string
    readonly since: number | string
  }>`SELECT host, pid, since FROM sync_lock WHERE name = 'sync'`
  // Insert-if-absent, then compare-and-set over a dead holder: two processes starting at once cannot both win.
  const take = Effect.gen(function* () {
    const since = Math.floor(Date.now() / 1000)
    yield* sql`INSERT INTO sync_lock (name, host, pid, since) VALUES ('sync', ${me.host}, ${me.pid}, ${since}) ON CONFLICT (name) DO NOTHING`
    const current = (yield* holder)[0]
    if (current === undefined) return yield* Effect.dieMessage("the lock row vanished while it was taken")
    const pid = Number(current.pid)
    if (current.host === me.host && pid === me.pid) return
    if (current.host === me.host && !alive(pid)) {
      yield* sql`UPDATE sync_lock SET host = ${me.host}, pid = ${me.pid}, since = ${since} WHERE name = 'sync' AND host = ${current.host} AND pid = ${pid}`
      const after = (yield* holder)[0]
      if (after !== undefined && after.host === me.host && Number(after.pid) === me.pid) return
    }
    return yield* new StoreBusy({ holder: `pid ${pid} on ${current.host}`, since: Number(current.since) })
  })
  yield* Effect.acquireRelease(take, () =>
    Effect.ignore(sql`DELETE FROM sync_lock WHERE name = 'sync' AND pid = ${me.pid} AND host = ${me.host}`)
  )
})
