/**
 * S1 and S2 inside a measuring child: one run of `@intercom-effect/sync` over the contacts of the living mock, into
 * a SQLite file, as `intercom-sync` would make it (default plan and client settings, contacts only). The runtime
 * (SQLite file, tables, the workflow engine's runner and storage, the HTTP client) is built before the clock starts;
 * the run itself, from planning (GET /me) to its commit, is what is timed.
 *
 * `durable` is `Sync.run`: the plan executed as a workflow on `Engine.layerSingle`, each step of pages an activity
 * whose result the engine stores (`durable-per-page`: one page per step). `inline` is `Sync.runInline`: the same
 * plan, walk, writes and commit, each step its bare effect, no engine at all.
 */
// The module itself, not the package index: see contenders/sdk.ts.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { IntercomConfig } from "@intercom-effect/http"
import { Intercom } from "@intercom-effect/services"
import { Copy, Engine, Plan, Progress, Run, Sync } from "@intercom-effect/sync"
import { Effect, Layer, ManagedRuntime } from "effect"
import { TOKEN } from "./contenders/types.js"
import type { SyncJob, SyncMode, SyncResult } from "./jobs.js"
import { profiled } from "./profiled.js"

/** Contacts only: the workloads are about contacts, and every other resource would add its own fixed requests. */
const options: Sync.RunOptions = { ...Plan.defaults, resources: ["contacts"], onPending: "fail" }

const services = (baseUrl: string) =>
  Intercom.layer.pipe(
    Layer.provide(IntercomConfig.layer({ accessToken: TOKEN, baseUrl })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** What a run of any mode needs: the copy, silent progress, the client, its steps' size, over one SQLite file. */
const base = (mode: SyncMode, baseUrl: string, filename: string) =>
  Layer.mergeAll(Copy.layer, Progress.silent).pipe(
    Layer.provideMerge(services(baseUrl)),
    Layer.provideMerge(SqliteClient.layer({ filename })),
    Layer.provideMerge(
      Layer.succeed(Run.RunConfig, {
        ...Run.defaultConfig,
        ...(mode === "durable-per-page" ? { requestsPerStep: 1 } : {})
      })
    )
  )

const count = Effect.flatMap(Copy.Copy, (copy) => copy.count("contacts"))

/** One run in `mode` into `filename`, ready to go: its runtime is built, and `run` times nothing itself. */
const prepare = async (mode: SyncMode, baseUrl: string, filename: string) => {
  if (mode === "inline") {
    const runtime = ManagedRuntime.make(base(mode, baseUrl, filename))
    await runtime.runPromise(Effect.void)
    return { run: () => runtime.runPromise(Effect.zip(Sync.runInline(options), count)), close: () => runtime.dispose() }
  }
  const runtime = ManagedRuntime.make(
    Run.layer.pipe(Layer.provideMerge(Engine.layerSingle), Layer.provideMerge(base(mode, baseUrl, filename)))
  )
  await runtime.runPromise(Effect.void)
  return { run: () => runtime.runPromise(Effect.zip(Sync.run(options), count)), close: () => runtime.dispose() }
}

/** Runs the job's warm-up (when it has one), then the measured run. */
export const runSync = async (job: SyncJob): Promise<SyncResult> => {
  if (job.warmupFilename !== undefined) {
    const warmup = await prepare(job.mode, job.baseUrl, job.warmupFilename)
    try {
      await warmup.run()
    } finally {
      await warmup.close()
    }
  }
  const measured = await prepare(job.mode, job.baseUrl, job.filename)
  try {
    globalThis.gc?.()
    const cpuBefore = process.cpuUsage()
    const start = performance.now()
    const [summary, stored] = await profiled(job.profileTo, measured.run)
    const wallMs = performance.now() - start
    const cpu = process.cpuUsage(cpuBefore)
    const contacts = summary.changes["contacts"] ?? Run.Counts.zero
    return {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      items: contacts.items,
      pages: contacts.pages,
      requests: summary.requests,
      stored
    }
  } finally {
    // Closing the SQLite file checkpoints its write-ahead log: the file alone is the store afterwards.
    await measured.close()
  }
}
