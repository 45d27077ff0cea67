/**
 * A sync run inside the test's process, against a mock in its own: the library as an application would use it, with a
 * fresh engine (runner, message storage, client) per run, as separate invocations of the command would have.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { IntercomConfig } from "@intercom-effect/http"
import { Intercom } from "@intercom-effect/services"
import { Copy, Engine, Plan, Progress, Run, Sync } from "@intercom-effect/sync"
import { Effect, Layer } from "effect"

export interface Target {
  readonly url: string
  readonly token: string
  /** The SQLite file of the copy, or another database. */
  readonly filename: string
  readonly database?: Layer.Layer<SqlClient.SqlClient, unknown> | undefined
}

/** The layers of one run. */
export const layer = (target: Target, config: Partial<Run.Config> = {}) =>
  Run.layer.pipe(
    Layer.provideMerge(Engine.layerSingle),
    Layer.provideMerge(Copy.layer),
    Layer.provideMerge(Progress.silent),
    Layer.provideMerge(
      Intercom.layer.pipe(
        // Short backoffs: the mock's faults are many and its answers instant; the policy's shape stays the same.
        Layer.provide(
          IntercomConfig.layer({ accessToken: target.token, baseUrl: target.url, retry: { baseDelay: "20 millis" } })
        ),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    ),
    Layer.provideMerge(target.database ?? SqliteClient.layer({ filename: target.filename })),
    Layer.provideMerge(Layer.succeed(Run.RunConfig, { ...Run.defaultConfig, ...config }))
  )

/** One run to its end. */
export const run = (target: Target, options: Partial<Sync.RunOptions> = {}, config: Partial<Run.Config> = {}) =>
  Sync.run({ ...Plan.defaults, onPending: "resume", ...options }).pipe(Effect.provide(layer(target, config)))
