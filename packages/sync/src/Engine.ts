/**
 * The durable engine a sync runs on: `@effect/cluster`'s `ClusterWorkflowEngine` executing the run workflow, over
 * the message storage of `@effect/cluster` in the same SQL database as the copy.
 *
 * Embedded (the default) is one `SingleRunner` on SQLite: no server to start, and the workflow's stored pages live in
 * the same file as the copy, so the file is the whole state of a sync.
 *
 * @since 0.1.0
 */
import {
  ClusterWorkflowEngine,
  type MessageStorage,
  RunnerAddress,
  type Sharding,
  type ShardingConfig,
  SingleRunner
} from "@effect/cluster"
import type * as SocketServer from "@effect/platform/SocketServer"
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import type { SqlClient } from "@effect/sql"
import type { WorkflowEngine } from "@effect/workflow"
import type { ConfigError, Duration } from "effect"
import { Layer, Option } from "effect"

/**
 * One runner in this process, its messages and replies in the `SqlClient`'s database.
 *
 * Runner storage stays in memory: with one runner there are no shards to hand over, and a restarted process takes
 * its shards at once instead of waiting for a lock to expire. The message poll is short so that a run left
 * unfinished by a killed process is picked up within half a second of the restart.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSingle: Layer.Layer<
  WorkflowEngine.WorkflowEngine | Sharding.Sharding | MessageStorage.MessageStorage,
  ConfigError.ConfigError,
  SqlClient.SqlClient
> = ClusterWorkflowEngine.layer.pipe(
  Layer.provideMerge(
    SingleRunner.layer({
      runnerStorage: "memory",
      shardingConfig: { entityMessagePollInterval: "500 millis", entityTerminationTimeout: "2 seconds" }
    })
  )
)

/**
 * Where a runner of a cluster listens, and how quickly the cluster notices a runner gone.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClusterOptions {
  /**
   * This runner's address, as the other runners reach it. Unset, the process is a client of the cluster: it starts
   * runs and reads their outcome, and executes nothing.
   */
  readonly runner?: { readonly host: string; readonly port: number } | undefined
  /**
   * How often the runners ask each other whether they are alive: 2 seconds unless set. A runner that no longer
   * answers is marked unhealthy after five failed pings half a second apart, and its shards move to the others.
   */
  readonly healthCheckInterval?: Duration.DurationInput | undefined
  /** Shards per group: 300 unless set; every runner of one cluster must use the same number. */
  readonly shardsPerGroup?: number | undefined
}

/**
 * Runners of one cluster, over the `SqlClient`'s database (Postgres): messages, replies, runners and shard locks are
 * stored there (`SqlMessageStorage`, `SqlRunnerStorage`), and the runners send each other messages over sockets
 * (`SocketRunner`). A run's walks are entities spread over the shards; when a runner dies its Postgres session ends,
 * its shard locks with it, and the runners left take its shards and resume the walks it held from their stored steps.
 *
 * The intervals are shorter than @effect/cluster's defaults, which suit long-lived services: a sync is a batch, and a
 * walk left by a dead runner should go on within seconds, not a minute.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSocket = (
  options: ClusterOptions
): Layer.Layer<
  WorkflowEngine.WorkflowEngine | Sharding.Sharding | MessageStorage.MessageStorage,
  ConfigError.ConfigError | SocketServer.SocketServerError,
  SqlClient.SqlClient
> => {
  const shardingConfig: Partial<ShardingConfig.ShardingConfig["Type"]> = {
    runnerAddress: Option.map(Option.fromNullable(options.runner), (runner) =>
      RunnerAddress.make(runner.host, runner.port)
    ),
    shardsPerGroup: options.shardsPerGroup ?? 300,
    runnerHealthCheckInterval: options.healthCheckInterval ?? "2 seconds",
    refreshAssignmentsInterval: "1 second",
    // A lock refresh slower than the refresh interval (at most a third of the expiration) makes the runner release
    // every shard and interrupt every walk on them, which redo their steps. A busy runner gets there with nothing
    // wrong (its lock queries wait behind the release of each shard a joining runner takes, on a saturated event
    // loop), but a longer interval is also how long a stalled lock operation holds shards back: at 30 s a SIGKILLed
    // runner's shards were taken over after 72 s in 2 of 5 cluster tests, at 2 s within 3-11 s. Kept short.
    shardLockRefreshInterval: "2 seconds",
    shardLockExpiration: "10 seconds",
    entityMessagePollInterval: "500 millis",
    entityTerminationTimeout: "2 seconds"
  }
  const cluster =
    options.runner === undefined
      ? NodeClusterSocket.layer({ storage: "sql", clientOnly: true, shardingConfig })
      : NodeClusterSocket.layer({ storage: "sql", shardingConfig })
  return ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(cluster))
}
