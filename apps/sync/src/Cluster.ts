/**
 * `intercom-sync` across many workspaces and processes: the runners that execute the runs' walks, and the client
 * side that plans runs, starts them on the cluster and waits for them.
 *
 * Every process of a cluster reads the same workspaces file and Postgres database. A workspace's copy is its schema
 * there; the cluster's messages, replies and shard locks are @effect/cluster's tables in the public schema. With a
 * Redis URL, every runner's client for a workspace joins that workspace app's one budget (`SharedBudget`), so the
 * runners together stay inside Intercom's window however the walks are spread over them.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { type IntercomConfig, type SharedBudget } from "@intercom-effect/http"
import * as RedisBudget from "@intercom-effect/http/SharedBudget/Redis"
import { Intercom } from "@intercom-effect/services"
import { Copy, Engine, Progress, Run, Sync, Workspaces } from "@intercom-effect/sync"
import { type Duration, Effect, Layer, Option, type Redacted } from "effect"
import type { Workspace } from "./WorkspaceFile.js"

/** Where the cluster keeps its state, and the app budget. */
export interface Settings {
  readonly databaseUrl: Redacted.Redacted
  readonly workspaces: ReadonlyArray<Workspace>
  /** The Redis of the shared budget; without it each runner paces each workspace under its own gate. */
  readonly redisUrl: Option.Option<Redacted.Redacted>
  readonly budget: { readonly limit: number; readonly window: Duration.DurationInput }
  readonly run: Run.Config
  readonly retrySchedule?: IntercomConfig.RetrySchedule | undefined
}

/** One workspace's services: its copy in its own schema, its own client (its token, its gate, its budget). */
const workspaceLayer = (workspace: Workspace, settings: Settings) =>
  Layer.mergeAll(Copy.layerWith({ schema: workspace.schema }), Progress.silent).pipe(
    Layer.provideMerge(
      Intercom.layerConfig({
        accessToken: workspace.token,
        userAgentSuffix: `intercom-sync/${workspace.name}`,
        ...(workspace.region === undefined ? {} : { region: workspace.region }),
        ...(workspace.baseUrl === undefined ? {} : { baseUrl: workspace.baseUrl }),
        ...(settings.retrySchedule === undefined ? {} : { retrySchedule: settings.retrySchedule })
      })
    )
  )

/** Every listed workspace, each built on first use over the one database and HTTP connection pool. */
const workspacesLayer = (settings: Settings) => {
  const byName = new Map(settings.workspaces.map((w) => [w.name, w] as const))
  return Workspaces.layerMany({
    names: [...byName.keys()],
    layer: (name) => workspaceLayer(byName.get(name)!, settings)
  })
}

const budgetLayer = (settings: Settings): Layer.Layer<never> | Layer.Layer<SharedBudget.SharedBudget, unknown> =>
  Option.match(settings.redisUrl, {
    onNone: () => Layer.empty,
    onSome: (url) => RedisBudget.layer({ url, limit: settings.budget.limit, window: settings.budget.window })
  })

/** Postgres, its sessions named after the process (`pg_stat_activity` then shows which runner holds which locks). */
const database = (settings: Settings, name: string): Layer.Layer<SqlClient.SqlClient, unknown> =>
  PgClient.layer({ url: settings.databaseUrl, applicationName: name })

/**
 * A runner: executes the walks of the shards it holds, at `address`, until interrupted.
 */
export const runnerLayer = (settings: Settings, address: { readonly host: string; readonly port: number }) =>
  Run.layerWorkspaces.pipe(
    Layer.provide(workspacesLayer(settings)),
    Layer.provideMerge(Engine.layerSocket({ runner: address })),
    Layer.provide(Layer.succeed(Run.RunConfig, settings.run)),
    Layer.provideMerge(database(settings, `intercom-sync runner ${address.host}:${address.port}`)),
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provide(budgetLayer(settings))
  )

/**
 * A client of the cluster: plans runs and starts them, reads their outcome; the runners execute them.
 */
export const clientLayer = (settings: Settings) =>
  workspacesLayer(settings).pipe(
    Layer.provideMerge(Engine.layerSocket({})),
    Layer.provideMerge(database(settings, "intercom-sync client")),
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provide(budgetLayer(settings))
  )

/** One workspace's run, planned (or resumed) and started on the cluster, then waited for. */
export const runOne = (workspace: string, options: Sync.RunOptions) =>
  Effect.flatMap(Workspaces.Workspaces, (workspaces) =>
    workspaces.use(
      workspace,
      Effect.flatMap(Sync.start({ ...options, workspace }), (started) =>
        Effect.map(Sync.wait(started), (summary) => ({ started, summary }))
      )
    )
  )
