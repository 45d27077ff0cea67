/**
 * Turns the collected rounds into markdown: the machine and the command, then one table per workload with the ratios
 * issues 7 and 8 set targets for. The same text is printed and, with `--write`, becomes BENCHMARKS.md.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import * as os from "node:os"
import {
  contenderLabels,
  type ContenderName,
  type DecodeResult,
  type ExportContenderName,
  type ExportResult,
  isExportContender,
  type NetworkResult
} from "./jobs.js"
import type { ClusterCollected } from "./cluster.js"
import { clusterSection } from "./clusterReport.js"
import { table } from "./markdown.js"
import type { Plan } from "./options.js"
import { PER_PAGE } from "./server/data.js"
import type { MockCounters } from "./server/mock.js"
import { max, median, min, num, ratio } from "./stats.js"
import { s1Section, s2Section } from "./syncReport.js"
import type { S1Collected, S2Collected } from "./syncRounds.js"

/** One W2 export: the contender's own figures and what the mock counted during it. */
export interface ExportRound extends ExportResult, MockCounters {}

/** Every measured round, by workload and contender. */
export interface Collected {
  readonly w1: Map<ContenderName, Array<NetworkResult>>
  readonly w2: Map<ExportContenderName, Array<ExportRound>>
  /** Keyed by concurrency. */
  readonly w3: Map<number, Map<ContenderName, Array<NetworkResult>>>
  readonly decode: Array<DecodeResult>
  readonly s1: S1Collected
  readonly s2: S2Collected
  readonly cluster: ClusterCollected
}

export const emptyCollected = (): Collected => ({
  w1: new Map(),
  w2: new Map(),
  w3: new Map(),
  decode: [],
  s1: { first: undefined, rounds: [] },
  s2: new Map(),
  cluster: { budget: [], join: [], failed: [] }
})

/**
 * The least time a window limit of `limit` requests per `windowMillis` allows for `requests` requests, starting at
 * the beginning of a window: they need ceil(requests / limit) windows, and the last of them opens
 * (ceil(requests / limit) − 1) windows after the first. The requests themselves take no time in this figure, so a
 * real run always takes a little longer: the last window's requests, and whatever margin the client keeps after each
 * reset. The same formula as the demo's.
 */
export const leastMillis = (requests: number, limit: number, windowMillis: number): number =>
  Math.max(0, Math.ceil(requests / limit) - 1) * windowMillis

/** Requests the window limit counted: everything but its own 429s (a refused request does not count). */
export const served = (round: ExportRound): number => round.requests - round.rateLimited

/** Why a W2 round falls short of "every contact exactly once", or undefined when it does not. */
export const exportProblem = (round: ExportRound, contacts: number): string | undefined =>
  round.error !== undefined
    ? `failed: ${round.error}`
    : round.stored !== contacts
      ? `stored ${num(round.stored)} distinct contacts of ${num(contacts)}`
      : round.items !== contacts
        ? `received ${num(round.items)} contacts for ${num(contacts)} distinct: some more than once`
        : undefined

const osName = (): string => {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1]
    if (pretty !== undefined) return `${pretty} (${os.type()} ${os.release()})`
  } catch {
    // Not Linux, or no os-release: the kernel's own name will do.
  }
  return `${os.type()} ${os.release()}`
}

const gitRevision = (): string => {
  try {
    const git = (...args: Array<string>) => execFileSync("git", args, { encoding: "utf8", stdio: "pipe" }).trim()
    const dirty = git("status", "--porcelain", "--untracked-files=no") !== ""
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? " with uncommitted changes" : ""}`
  } catch {
    return "unknown revision"
  }
}

/** Facts about the run itself, beyond the plan. */
export interface RunInfo {
  readonly seconds: number
  /** Cores' worth of CPU other processes used during the run (see machine.ts); undefined where unknown. */
  readonly othersCores: number | undefined
}

/** The lines that say where and how the figures were taken. */
export const header = (plan: Plan, run: RunInfo): string => {
  const cpus = os.cpus()
  const model = cpus[0]?.model.trim() ?? "unknown CPU"
  const others =
    run.othersCores === undefined
      ? "unknown"
      : `${num(run.othersCores, 2)} of ${cpus.length} cores on average${run.othersCores > 0.25 ? " (a busy machine: expect noisy figures)" : ""}`
  return [
    `- machine: ${model}, ${cpus.length} cores, ${num(os.totalmem() / 2 ** 30, 1)} GiB; ${osName()}; Node ${process.version}`,
    `- command: \`${plan.command}\` (${plan.rounds} rounds; every contender in a fresh process per round, after a warm-up)`,
    `- run: ${new Date().toISOString().slice(0, 10)}, ${gitRevision()}, ${num(run.seconds)} s; CPU used by other processes meanwhile: ${others}`
  ].join("\n")
}

type Metric = (result: NetworkResult) => number

/** The rounds of one workload (and mode), by contender, and the summaries the tables take of them. */
const roundsOf = (byContender: Map<ContenderName, Array<NetworkResult>> | undefined) => {
  const rounds = (name: ContenderName) => byContender?.get(name) ?? []
  return {
    ran: (name: ContenderName) => rounds(name).length > 0,
    median: (name: ContenderName, metric: Metric) => median(rounds(name).map(metric)),
    min: (name: ContenderName, metric: Metric) => min(rounds(name).map(metric)),
    max: (name: ContenderName, metric: Metric) => max(rounds(name).map(metric))
  }
}

/** A numeric column of a contender table. */
interface MetricColumn {
  readonly header: string
  readonly cell: (name: ContenderName) => string
}

/** One row per contender that ran, in the plan's order. */
const contenderTable = (
  plan: Plan,
  ran: (name: ContenderName) => boolean,
  columns: ReadonlyArray<MetricColumn>
): string =>
  table(
    [{ header: "contender" }, ...columns.map((column) => ({ header: column.header, right: true }))],
    plan.contenders.filter(ran).map((name) => [contenderLabels[name], ...columns.map((column) => column.cell(name))])
  )

const w1Section = (plan: Plan, collected: Collected): string => {
  const rate: Metric = (r) => r.count / (r.wallMs / 1000)
  const cpuPer1k: Metric = (r) => (r.cpuMs / r.count) * 1000
  const w1 = roundsOf(collected.w1)
  const vsClient = (name: ContenderName) => w1.median(name, rate) / w1.median("intercom-client", rate)
  const vsClient6 = (name: ContenderName) => w1.median(name, rate) / w1.median("intercom-client-6", rate)
  const vsFloor = (name: ContenderName) => w1.median(name, cpuPer1k) / w1.median("raw", cpuPer1k)
  const targets = (name: ContenderName) =>
    `${ratio(vsClient(name))} the items/s of intercom-client 7 (issue 19 target ≥ 1.30×), ${ratio(vsClient6(name))} of intercom-client 6 (target ≥ 1.10×); ${ratio(vsFloor(name))} the raw floor's CPU per item (target ≤ 1.35×).`
  return [
    `## W1: walk ${num(plan.w1.items)} contacts (${num(plan.w1.items / PER_PAGE)} pages of ${PER_PAGE})`,
    "",
    "Items per second of wall time; CPU of the contender's process (all threads, GC included) per 1,000 items; peak RSS of that process (`maxRSS` of `process.resourceUsage()`, the median of the rounds). Ratios compare medians.",
    "",
    contenderTable(plan, w1.ran, [
      { header: "items/s median", cell: (name) => num(w1.median(name, rate)) },
      { header: "items/s best", cell: (name) => num(w1.max(name, rate)) },
      { header: "CPU ms/1k items median", cell: (name) => num(w1.median(name, cpuPer1k), 1) },
      { header: "CPU ms/1k min", cell: (name) => num(w1.min(name, cpuPer1k), 1) },
      { header: "peak RSS MB", cell: (name) => num(w1.median(name, (r) => r.peakRssMb)) },
      { header: "items/s vs intercom-client 7", cell: (name) => ratio(vsClient(name)) },
      { header: "items/s vs intercom-client 6", cell: (name) => ratio(vsClient6(name)) },
      { header: "CPU/item vs raw", cell: (name) => ratio(vsFloor(name)) }
    ]),
    "",
    `SDK: ${targets("sdk")}` +
      (w1.ran("sdk-undici") ? ` Over the lean undici transport: ${targets("sdk-undici")}` : "") +
      (w1.ran("sdk-prefetch")
        ? ` With Paginate's default prefetch: ${ratio(vsClient("sdk-prefetch"))} and ${ratio(vsFloor("sdk-prefetch"))}.`
        : "") +
      // A miss is explained by a profile, not by the table: say where to find it.
      (vsFloor("sdk") > 1.35 || vsClient("sdk") < 1.3 || vsClient6("sdk") < 1.1
        ? ' Where a target is missed, `pnpm bench --profile --contenders raw,platform,sdk` shows where the CPU goes; bench/README.md ("Where W1\'s CPU goes beyond the raw floor") reads the latest profile.'
        : "")
  ].join("\n")
}

const decodeSection = (plan: Plan, collected: Collected): string => {
  const parse = collected.decode.map((r) => r.parseUsPerContact)
  const decode = collected.decode.map((r) => r.decodeUsPerContact)
  const bytes = collected.decode[0]?.bytesPerContact ?? NaN
  return [
    `## Decode alone: one page of ${PER_PAGE} contacts, per contact`,
    "",
    `No network: \`JSON.parse\` of the page text against the SDK's decode of the parsed page (\`sdkDecode\` in bench/src/sdkDecode.ts), cycling through ${plan.decode.pages} distinct pages; ${num(plan.decode.iterations)} page operations of each kind per round, in alternating batches (the median batch counts). A contact is ${num(bytes)} bytes of JSON on average.`,
    "",
    table(
      [
        { header: "step" },
        { header: "µs per contact median", right: true },
        { header: "µs per contact min", right: true },
        { header: "vs JSON.parse", right: true }
      ],
      [
        ["JSON.parse of the page text", num(median(parse), 2), num(min(parse), 2), ratio(1)],
        [
          "SDK decode of the parsed page (ContactList)",
          num(median(decode), 2),
          num(min(decode), 2),
          ratio(median(decode) / median(parse))
        ]
      ]
    ),
    "",
    `SDK decode: ${ratio(median(decode) / median(parse))} JSON.parse per contact (issue 7 target ≤ 1.00×).`
  ].join("\n")
}

const w2Labels: Readonly<Record<ExportContenderName, string>> = {
  sdk: "intercom-effect export app, sequential (GET /contacts)",
  "sdk-partitioned": "intercom-effect export app, created_at partitions (search)",
  "intercom-client": "intercom-client 7.0.3, contacts.list, its own retries"
}

const w2Section = (plan: Plan, collected: Collected): string => {
  const { contacts, limit, windowMillis, partitions, rounds } = plan.w2
  const roundsOf = (name: ExportContenderName) => collected.w2.get(name) ?? []
  const ran = plan.contenders.filter(isExportContender).filter((name) => roundsOf(name).length > 0)
  const least = (round: ExportRound) => leastMillis(served(round), limit, windowMillis)
  const versusLeast = (round: ExportRound) => round.wallMs / least(round)
  const seconds = (ms: number) => num(ms / 1000, 2)
  const over = (name: ExportContenderName, metric: (round: ExportRound) => number) => roundsOf(name).map(metric)
  const storedCell = (name: ExportContenderName) => {
    const wrong = roundsOf(name).filter((round) => exportProblem(round, contacts) !== undefined).length
    const fewest = min(over(name, (round) => round.stored))
    return wrong === 0 ? num(fewest) : `${num(fewest)} (${wrong} round${wrong === 1 ? "" : "s"} wrong)`
  }
  const problems = ran.flatMap((name) =>
    roundsOf(name).flatMap((round, i) => {
      const problem = exportProblem(round, contacts)
      return problem === undefined ? [] : [`- ${w2Labels[name]}, round ${i + 1}: ${problem}`]
    })
  )
  const names: Readonly<Record<ExportContenderName, string>> = {
    sdk: "SDK sequential",
    "sdk-partitioned": "SDK partitioned",
    "intercom-client": "intercom-client"
  }
  const summary = (name: ExportContenderName) =>
    `${names[name]} ${ratio(median(over(name, versusLeast)))} (worst round ${ratio(max(over(name, versusLeast)))}), 429s ${num(max(over(name, (round) => round.rateLimited)))}`
  const pages = Math.ceil(contacts / PER_PAGE)
  return [
    `## W2: export ${num(contacts)} contacts under a window limit of ${limit} requests per ${num(windowMillis / 1000)} s`,
    "",
    `The stateful mock Intercom (\`@intercom-effect/mock-server\`, seeded, ${num(contacts)} contacts: ${num(pages)} pages of ${PER_PAGE}) in its own process, counting requests, 429s and requests per window for each run. Each contender starts at the beginning of a window (windows are aligned to the clock), so the least time the limit allows for N requests it lets through is (⌈N / ${limit}⌉ − 1) × ${num(windowMillis / 1000)} s. The SDK runs the export app into a SQLite file, as one walk of \`GET /contacts\` or as ${partitions} \`created_at\` partitions searched side by side; intercom-client keeps its ids in a set. ${rounds} round${rounds === 1 ? "" : "s"}; wall time / least is the median, the best and the worst of the rounds' ratios; 429s and the most requests in one window are the worst round's.`,
    "",
    table(
      [
        { header: "contender" },
        { header: "wall s median", right: true },
        { header: "wall s best", right: true },
        { header: "least s", right: true },
        { header: "wall / least median", right: true },
        { header: "wall / least best", right: true },
        { header: "wall / least worst", right: true },
        { header: "requests", right: true },
        { header: "429s", right: true },
        { header: "most in a window", right: true },
        { header: "contacts stored", right: true }
      ],
      ran.map((name) => [
        w2Labels[name],
        seconds(median(over(name, (round) => round.wallMs))),
        seconds(min(over(name, (round) => round.wallMs))),
        seconds(median(over(name, least))),
        ratio(median(over(name, versusLeast))),
        ratio(min(over(name, versusLeast))),
        ratio(max(over(name, versusLeast))),
        num(median(over(name, (round) => round.requests))),
        num(max(over(name, (round) => round.rateLimited))),
        num(max(over(name, (round) => round.maxPerWindow))),
        storedCell(name)
      ])
    ),
    "",
    ...(problems.length > 0 ? ["Rounds that did not store every contact exactly once:", "", ...problems, ""] : []),
    `What separates a run from the least time: the requests of the last window, which the least counts as taking no time (with ${num(contacts)} contacts, ${pages % limit === 0 ? limit : pages % limit} pages or so, one after another or all against the one single-threaded mock), and whatever a client waits after a reset (the SDK's gate keeps 50 ms by default, intercom-client's retry up to 20 % of its wait). Earlier windows cost nothing beyond their share: windows are aligned to the clock, so the last one opens at the same moment however the earlier ones were spent, as long as they were spent in full. A window left short pushes requests into the next ones, and when the slack of the last window is used up, into one window more: a whole window (${num(windowMillis / 1000)} s) late.`,
    "",
    `Issue 10 targets: every contact exactly once, no response 429 at the server, and wall time ≤ 1.05× the least the limit allows. Measured: wall / least median, and 429s in the worst round: ` +
      ran.map(summary).join("; ") +
      "."
  ].join("\n")
}

const w3Section = (plan: Plan, collected: Collected): string => {
  const perCall: Metric = (r) => (r.wallMs * 1000) / r.count
  const cpuPerCall: Metric = (r) => (r.cpuMs * 1000) / r.count
  const ratios: Array<string> = []
  const tables = plan.w3.concurrencies.flatMap((concurrency) => {
    const w3 = roundsOf(collected.w3.get(concurrency))
    const vsPlatform = (name: ContenderName) => w3.median(name, perCall) / w3.median("platform", perCall)
    const mode = concurrency === 1 ? "sequential" : `concurrency ${concurrency}`
    ratios.push(
      `${ratio(vsPlatform("sdk"))} ${mode} (issue 19 target ≤ 1.10×)` +
        (w3.ran("sdk-undici") ? `, over the lean undici transport ${ratio(vsPlatform("sdk-undici"))}` : "")
    )
    return [
      `### ${mode}`,
      "",
      contenderTable(plan, w3.ran, [
        { header: "µs/call median", cell: (name) => num(w3.median(name, perCall)) },
        { header: "µs/call min", cell: (name) => num(w3.min(name, perCall)) },
        { header: "calls/s median", cell: (name) => num(w3.median(name, (r) => r.count / (r.wallMs / 1000))) },
        { header: "CPU µs/call median", cell: (name) => num(w3.median(name, cpuPerCall)) },
        { header: "CPU µs/call min", cell: (name) => num(w3.min(name, cpuPerCall)) },
        { header: "peak RSS MB", cell: (name) => num(w3.median(name, (r) => r.peakRssMb)) },
        { header: "µs/call vs platform", cell: (name) => ratio(vsPlatform(name)) }
      ]),
      ""
    ]
  })
  return [
    `## W3: ${num(plan.w3.calls)} GET /me`,
    "",
    "Wall time per call (the whole batch divided by its calls); CPU of the contender's process per call; peak RSS of that process (`maxRSS` of `process.resourceUsage()`, the median of the rounds).",
    "",
    ...tables,
    `SDK / bare @effect/platform client, µs per call: ${ratios.join("; ")}.`
  ].join("\n")
}

/** The whole report for the workloads that ran. */
export const report = (plan: Plan, collected: Collected, run: RunInfo): string => {
  const sections: Array<string> = [header(plan, run)]
  if (plan.workloads.includes("w1")) sections.push(w1Section(plan, collected))
  if (plan.workloads.includes("decode")) sections.push(decodeSection(plan, collected))
  if (plan.workloads.includes("w2")) sections.push(w2Section(plan, collected))
  if (plan.workloads.includes("w3")) sections.push(w3Section(plan, collected))
  if (plan.workloads.includes("s1")) sections.push(s1Section(plan, collected.s1))
  if (plan.workloads.includes("s2")) sections.push(s2Section(plan, collected.s2))
  if (plan.workloads.includes("cluster")) sections.push(clusterSection(plan, collected.cluster))
  return sections.join("\n\n") + "\n"
}
