/**
 * The parent's side of S1 and S2, the sync engine's workloads (`@intercom-effect/sync`, issue 15): the mocks they
 * run against, the stores they run into, and the rounds.
 *
 * - **S1**, an incremental sync: a first (full) run copies every contact of a living mock into a SQLite file, once
 *   per benchmark run (timed, reported apart). Each round then starts a mock of its own with the same seed, so its
 *   workspace is the one the first run copied, moves its clock one simulated hour in which it updates 1 % of the
 *   contacts, and times an incremental run into a copy of the first run's file. The mock counts the run's requests.
 * - **S2**, what durability costs: a first run of every contact of one mock into an empty file, `durable` (the
 *   workflow on SQLite), `durable-per-page` (the same with one page per activity) and `inline` (the same walk, no
 *   engine) in turn, each in a fresh process after a warm-up run of its own.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Bundles } from "./build.js"
import { type Result, type SyncJob, type SyncMode, syncModes, type SyncResult } from "./jobs.js"
import type { Plan } from "./options.js"
import { type Mock, mustRun, startMock } from "./processes.js"
import type { Advanced } from "./server/mock.js"
import { num } from "./stats.js"

/** A sync job's result. */
export const isSync = (result: Result): result is SyncResult => "pages" in result

/**
 * The workspace clock starts on a Monday at 06:00 UTC; the seeded history ends at noon the day before. The first
 * run's window ends at the start, so the next run searches from that Monday's midnight (Intercom's search compares
 * whole days): what it matches is exactly what changed after the start, none of the history.
 */
export const clockStart = Date.UTC(2026, 2, 2, 6)
const historyUntil = Date.UTC(2026, 2, 1, 12) / 1000
const HOUR = 3_600_000

/** No window limit the runs could reach: S1 and S2 measure the engine, not pacing (W2 does). */
const unlimited = { limit: 1_000_000, windowMillis: 10_000 }

/** S1's first run: what copying every contact took, and what the mock counted for it. */
export interface S1First extends SyncResult {
  /** Requests the mock answered. */
  readonly served: number
  /** CPU the mock spent meanwhile. */
  readonly mockCpuMs: number
}

/** One S1 round: the incremental run's figures, what the mock counted, and what the hour changed. */
export interface S1Round extends S1First {
  readonly advanced: Advanced
}

/** S1's figures. */
export interface S1Collected {
  first: S1First | undefined
  readonly rounds: Array<S1Round>
}

/** S2's rounds, by mode. */
export type S2Collected = Map<SyncMode, Array<SyncResult>>

const progress = (line: string) => process.stderr.write(`${line}\n`)

const s1Mock = (bundles: Bundles, plan: Plan): Promise<Mock> =>
  startMock(bundles.mock, {
    contacts: plan.s1.contacts,
    ...unlimited,
    living: { start: clockStart, historyUntil, updatesPerHour: plan.s1.changed }
  })

/** Runs `job` against `mock`, counting afresh: the result, and every request the mock answered meanwhile. */
const counted = async (entry: string, mock: Mock, job: SyncJob) => {
  await mock.reset()
  const result = await mustRun(entry, job, isSync)
  const counters = await mock.counters()
  return { ...result, served: counters.requests, mockCpuMs: counters.cpuMs }
}

/** Removes a SQLite store and whatever write-ahead files it left. */
const removeStore = (filename: string): void => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${filename}${suffix}`, { force: true })
}

/** A temporary directory for the stores, removed however `use` ends. */
const withDir = async <A>(prefix: string, use: (dir: string) => Promise<A>): Promise<A> => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  try {
    return await use(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** S1: the first run, then `plan.s1.rounds` incremental runs, each against a fresh mock. */
export const runS1 = (bundles: Bundles, plan: Plan, collected: S1Collected): Promise<void> =>
  withDir("intercom-bench-s1-", async (dir) => {
    const first = join(dir, "first.sqlite")
    const mock0 = await s1Mock(bundles, plan)
    try {
      const job: SyncJob = { workload: "s1", mode: "durable", baseUrl: mock0.baseUrl, filename: first }
      collected.first = await counted(bundles.child, mock0, job)
      progress(
        `S1 first run: ${num(collected.first.stored)} contacts in ${num(collected.first.wallMs / 1000, 1)} s, ` +
          `${num(collected.first.served)} requests`
      )
    } finally {
      await mock0.stop()
    }
    for (let round = 1; round <= plan.s1.rounds; round++) {
      const mock = await s1Mock(bundles, plan)
      try {
        const advanced = await mock.advance(HOUR)
        const filename = join(dir, `round-${round}.sqlite`)
        copyFileSync(first, filename)
        const result = await counted(bundles.child, mock, {
          workload: "s1",
          mode: "durable",
          baseUrl: mock.baseUrl,
          filename
        })
        collected.rounds.push({ ...result, advanced })
        progress(
          `round ${round}/${plan.s1.rounds} S1 ${num(advanced.changed)} changed: ${num(result.served)} requests, ` +
            `${num(result.items)} contacts fetched, ${num(result.wallMs)} ms, CPU ${num(result.cpuMs)} ms (mock ${num(result.mockCpuMs)} ms)`
        )
        removeStore(filename)
      } finally {
        await mock.stop()
      }
    }
  })

/** S2: one mock, warmed by an unmeasured run; each round runs every mode, in an order that rotates. */
export const runS2 = (bundles: Bundles, plan: Plan, collected: S2Collected): Promise<void> =>
  withDir("intercom-bench-s2-", async (dir) => {
    const mock = await startMock(bundles.mock, { contacts: plan.s2.contacts, ...unlimited })
    try {
      const filename = join(dir, "measured.sqlite")
      const warmupFilename = join(dir, "warmup.sqlite")
      // Each run starts from an empty store, and the stores of a large run are large: removed after every run.
      const run = async (job: SyncJob) => {
        try {
          return await mustRun(bundles.child, job, isSync)
        } finally {
          removeStore(filename)
          removeStore(warmupFilename)
        }
      }
      const baseUrl = mock.baseUrl
      // The mock encodes each contact through its `Schema` the first time it serves it: whoever ran first would
      // meet a slower server than everyone after.
      await run({ workload: "s2", mode: "inline", baseUrl, filename })
      for (let round = 1; round <= plan.rounds; round++) {
        // The order rotates, so no mode always runs first (or after the same one).
        const modes = syncModes.map((_, i) => syncModes[(i + round - 1) % syncModes.length]!)
        for (const mode of modes) {
          const result = await run({ workload: "s2", mode, baseUrl, filename, warmupFilename })
          collected.set(mode, [...(collected.get(mode) ?? []), result])
          progress(
            `round ${round}/${plan.rounds} S2 ${mode.padEnd(8)} ${num(result.wallMs)} ms, CPU ${num(result.cpuMs)} ms, ` +
              `${num(result.stored)} stored`
          )
        }
      }
    } finally {
      await mock.stop()
    }
  })
