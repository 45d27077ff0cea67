/**
 * The durable engine a sync runs on: `@effect/cluster`'s `ClusterWorkflowEngine` executing the run workflow, over
 * the message storage of `@effect/cluster` in the same SQL database as the copy.
 *
 * Embedded (the default) is one `SingleRunner` on SQLite: no server to start, and the workflow's stored pages live in
 * the same file as the copy, so the file is the whole state of a sync.
 *
 * @since 0.1.0
 */
import { ClusterWorkflowEngine, type MessageStorage, type Sharding, SingleRunner } from "@effect/cluster"
import type { SqlClient } from "@effect/sql"
import type { WorkflowEngine } from "@effect/workflow"
import type { ConfigError } from "effect"
import { Layer } from "effect"

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
