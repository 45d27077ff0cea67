/**
 * `pnpm bench`: the benchmark run. This process only orchestrates: it bundles the child entries, starts the loopback
 * server in its own process, runs every (round, workload, contender) in a fresh child, and prints the tables.
 *
 * Figures are printed, never asserted: see BENCHMARKS.md for a run and `pnpm bench --help` for the flags.
 */
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { bundle } from "./build.js"
import { runCluster } from "./cluster.js"
import { othersCores, snapshot } from "./machine.js"
import {
  type ContenderName,
  type DecodeResult,
  type ExportContenderName,
  type ExportJob,
  type ExportResult,
  isExportContender,
  type NetworkResult,
  type Result,
  takesPart
} from "./jobs.js"
import { parse, usage, type Plan } from "./options.js"
import { type Mock, mustRun, startMock, startServer } from "./processes.js"
import { profile } from "./profile.js"
import {
  emptyCollected,
  exportProblem,
  type ExportRound,
  leastMillis,
  report,
  served,
  type Collected
} from "./report.js"
import { num } from "./stats.js"
import { runS1, runS2 } from "./syncRounds.js"

const benchmarksFile = fileURLToPath(new URL("../../BENCHMARKS.md", import.meta.url))

// Progress goes to stderr so stdout carries only the report.
const progress = (line: string) => process.stderr.write(`${line}\n`)

const isNetwork = (result: Result): result is NetworkResult => "count" in result
const isDecode = (result: Result): result is DecodeResult => "decodeUsPerContact" in result
const isExport = (result: Result): result is ExportResult => "stored" in result && !("pages" in result)

/**
 * Contenders take turns within a round, and the order rotates from round to round, so a slow drift of the machine
 * (thermal, another process) does not always land on the same contender.
 */
const rotate = <T>(values: ReadonlyArray<T>, by: number): Array<T> =>
  values.map((_, i) => values[(i + by) % values.length]!)

const append = <K>(map: Map<K, Array<NetworkResult>>, key: K, result: NetworkResult): void => {
  map.set(key, [...(map.get(key) ?? []), result])
}

/**
 * The server is a long-lived Node process whose own code warms up like any other: without this, the first contender
 * of round 1 would meet a slower server than everyone after it. The cheapest client (raw) drives it; nothing is kept.
 */
const warmServer = async (entry: string, baseUrl: string, plan: Plan): Promise<void> => {
  const items = plan.w1.items
  await mustRun(entry, { workload: "w1", contender: "raw", baseUrl, items, warmupItems: items }, isNetwork)
  const calls = plan.w3.warmupCalls
  const job = { workload: "w3", contender: "raw", baseUrl, calls, warmupCalls: calls, concurrency: 16 } as const
  await mustRun(entry, job, isNetwork)
}

/** Exports that did not store every contact exactly once: reported in the table, and the run exits non-zero. */
const failures: Array<string> = []

const exportJob = (contender: ExportContenderName, mock: Mock, plan: Plan): ExportJob => ({
  workload: "w2",
  contender,
  baseUrl: mock.baseUrl,
  contacts: mock.contacts,
  since: mock.since,
  until: mock.until,
  partitions: plan.w2.partitions,
  windowMillis: plan.w2.windowMillis
})

/**
 * The mock encodes each contact through its `Schema` the first time it serves it (about 25 ms a page) and caches
 * each search's matches; whoever exported first would meet a slower server than everyone after. One partitioned
 * export, not measured, fills both caches.
 */
const warmMock = async (entry: string, mock: Mock, plan: Plan): Promise<void> => {
  await mustRun(entry, exportJob("sdk-partitioned", mock, plan), isExport)
}

/** One W2 export: the mock counts afresh, the contender exports in its own child, the mock says what it saw. */
const runExport = async (entry: string, mock: Mock, plan: Plan, contender: ExportContenderName) => {
  await mock.reset()
  const result = await mustRun(entry, exportJob(contender, mock, plan), isExport)
  const round: ExportRound = { ...result, ...(await mock.counters()) }
  const least = leastMillis(served(round), plan.w2.limit, plan.w2.windowMillis)
  const problem = exportProblem(round, mock.contacts)
  if (problem !== undefined) failures.push(`W2 ${contender}: ${problem}`)
  return { round, least, problem }
}

/** The servers a round talks to; the mock only when W2 is planned. */
interface Servers {
  readonly baseUrl: string
  readonly mock: Mock | undefined
}

/** One round: every planned workload, every contender once, each in its own child. */
const runRound = async (entry: string, servers: Servers, plan: Plan, round: number, collected: Collected) => {
  const { baseUrl, mock } = servers
  const tag = `round ${round}/${plan.rounds}`
  const contenders = rotate(plan.contenders, round - 1)
  if (plan.workloads.includes("w1")) {
    for (const contender of contenders.filter((name) => takesPart("w1", name))) {
      const result = await mustRun(entry, { workload: "w1", contender, baseUrl, ...plan.w1 }, isNetwork)
      append(collected.w1, contender, result)
      const rate = num(result.count / (result.wallMs / 1000))
      progress(`${tag} W1 ${contender.padEnd(15)} ${rate.padStart(8)} items/s`)
    }
  }
  if (plan.workloads.includes("decode")) {
    const job = { workload: "decode", realTraffic: plan.realTraffic, ...plan.decode } as const
    const result = await mustRun(entry, job, isDecode)
    collected.decode.push(result)
    const [parse, decode] = [num(result.parseUsPerContact, 2), num(result.decodeUsPerContact, 2)]
    progress(`${tag} decode: JSON.parse ${parse} µs, SDK ${decode} µs per contact`)
  }
  if (mock !== undefined && round <= plan.w2.rounds) {
    for (const contender of contenders.filter(isExportContender)) {
      const { round: result, least, problem } = await runExport(entry, mock, plan, contender)
      collected.w2.set(contender, [...(collected.w2.get(contender) ?? []), result])
      progress(
        `${tag} W2 ${contender.padEnd(15)} ${num(result.wallMs / 1000, 2).padStart(6)} s, ` +
          `${(result.wallMs / least).toFixed(2)}× the least (${num(least / 1000, 1)} s); ${result.requests} requests, ` +
          `${result.rateLimited} × 429, per window ${result.perWindow.join(" ")}; ${num(result.stored)} stored` +
          (problem === undefined ? "" : `; ${problem}`)
      )
    }
  }
  if (plan.workloads.includes("w3")) {
    const { calls, warmupCalls } = plan.w3
    for (const concurrency of plan.w3.concurrencies) {
      const byContender = collected.w3.get(concurrency) ?? new Map<ContenderName, Array<NetworkResult>>()
      collected.w3.set(concurrency, byContender)
      for (const contender of contenders.filter((name) => takesPart("w3", name))) {
        const job = { workload: "w3", contender, baseUrl, calls, warmupCalls, concurrency } as const
        const result = await mustRun(entry, job, isNetwork)
        append(byContender, contender, result)
        const perCall = num((result.wallMs * 1000) / result.count)
        progress(`${tag} W3 c${String(concurrency).padEnd(2)} ${contender.padEnd(15)} ${perCall.padStart(6)} µs/call`)
      }
    }
  }
}

const writeBenchmarks = (plan: Plan, body: string): void => {
  const intro = [
    "# Benchmarks",
    "",
    ...(plan.note === undefined ? [] : [plan.note, ""]),
    "Written by `pnpm bench --write` from one run of the harness in [bench/](bench): a loopback server in its own process serves Intercom 2.10 bodies (150 fully populated contacts per page, GET /me), and each contender runs against it in a fresh process per round; W2 exports from the stateful mock Intercom under a window limit, in a process of its own too, and S1 and S2 run the sync engine against it, living. Figures from another machine are not comparable to these; compare contenders within one run.",
    ""
  ].join("\n")
  writeFileSync(benchmarksFile, `${intro}\n${body}`)
  progress(`wrote ${benchmarksFile}`)
}

const benchmark = async (plan: Plan): Promise<void> => {
  const bundles = await bundle()
  const before = snapshot()
  const server = await startServer(bundles.server, { contacts: plan.w1.items, realTraffic: plan.realTraffic })
  progress(`loopback server at ${server.baseUrl}: ${server.pages} pages, ${num(server.bytes / 2 ** 20, 1)} MiB`)
  const collected = emptyCollected()
  let mock: Mock | undefined
  try {
    // The sync workloads start their own mocks, and are over before the others' servers are busy.
    if (plan.workloads.includes("s1")) await runS1(bundles, plan, collected.s1)
    if (plan.workloads.includes("s2")) await runS2(bundles, plan, collected.s2)
    if (plan.workloads.includes("cluster")) {
      await runCluster(plan, collected.cluster)
      const inexact = [...collected.cluster.budget, ...collected.cluster.join].flatMap((round) => round.inexact)
      if (inexact.length > 0) failures.push(`cluster: copies not exact: ${inexact.join(", ")}`)
      failures.push(...collected.cluster.failed.map((why) => `cluster, ${why}`))
    }
    if (plan.workloads.includes("w2")) {
      const { contacts, limit, windowMillis } = plan.w2
      mock = await startMock(bundles.mock, { contacts, limit, windowMillis })
      progress(
        `mock Intercom at ${mock.baseUrl}: ${num(mock.contacts)} contacts, ${limit} requests per ${windowMillis} ms`
      )
      await warmMock(bundles.child, mock, plan)
    }
    if (plan.workloads.includes("w1") || plan.workloads.includes("w3")) {
      await warmServer(bundles.child, server.baseUrl, plan)
    }
    for (let round = 1; round <= plan.rounds; round++) {
      await runRound(bundles.child, { baseUrl: server.baseUrl, mock }, plan, round, collected)
    }
  } finally {
    await Promise.all([server.stop(), mock?.stop()])
  }
  const after = snapshot()
  const seconds = before === undefined || after === undefined ? NaN : (after.at - before.at) / 1000
  const others = othersCores(before, after)
  const othersText = others === undefined ? "?" : num(others, 2)
  progress(`done in ${num(seconds, 1)} s; other processes used ${othersText} cores meanwhile\n`)

  const body = report(plan, collected, { seconds, othersCores: others })
  process.stdout.write(body)
  if (plan.write) writeBenchmarks(plan, body)
  if (failures.length > 0) {
    progress(`\nnot every copy exact:\n${failures.join("\n")}`)
    process.exitCode = 1
  }
}

const main = async (): Promise<void> => {
  const plan = parse(process.argv.slice(2))
  if (plan === "help") {
    process.stdout.write(usage)
    return
  }
  if (plan.profile !== undefined) return profile(plan, plan.profile)
  return benchmark(plan)
}

try {
  await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
