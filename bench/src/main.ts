/**
 * `pnpm bench`: the benchmark run. This process only orchestrates: it bundles the child entries, starts the loopback
 * server in its own process, runs every (round, workload, contender) in a fresh child, and prints the tables.
 *
 * Figures are printed, never asserted: see BENCHMARKS.md for a run and `pnpm bench --help` for the flags.
 */
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { bundle } from "./build.js"
import { othersCores, snapshot } from "./machine.js"
import type { ContenderName, Job, NetworkResult } from "./jobs.js"
import { parse, usage, type Plan } from "./options.js"
import { runJob, startServer } from "./processes.js"
import { profile } from "./profile.js"
import { emptyCollected, report } from "./report.js"
import { num } from "./stats.js"

const benchmarksFile = fileURLToPath(new URL("../../BENCHMARKS.md", import.meta.url))

// Progress goes to stderr so stdout carries only the report.
const progress = (line: string) => process.stderr.write(`${line}\n`)

/** Runs a job and returns its result, or stops the whole run: a figure from a failed contender would be a lie. */
const mustRun = async (entry: string, job: Job, label: string) => {
  const reply = await runJob(entry, job)
  if (!reply.ok) throw new Error(`${label} failed:\n${reply.error}`)
  return reply.result
}

/**
 * Contenders take turns within a round, and the order rotates from round to round, so a slow drift of the machine
 * (thermal, another process) does not always land on the same contender.
 */
const rotate = <T>(values: ReadonlyArray<T>, by: number): Array<T> =>
  values.map((_, i) => values[(i + by) % values.length]!)

/**
 * The server is a long-lived Node process whose own code warms up like any other: without this, the first contender
 * of round 1 would meet a slower server than everyone after it. The cheapest client (raw) drives it; nothing is kept.
 */
const warmServer = async (entry: string, baseUrl: string, plan: Plan): Promise<void> => {
  const walk = { workload: "w1", contender: "raw", baseUrl, items: plan.w1.items, warmupItems: plan.w1.items } as const
  await mustRun(entry, walk, "server warm-up (W1)")
  const calls = {
    workload: "w3",
    contender: "raw",
    baseUrl,
    calls: plan.w3.warmupCalls,
    warmupCalls: plan.w3.warmupCalls,
    concurrency: 16
  } as const
  await mustRun(entry, calls, "server warm-up (W3)")
}

const benchmark = async (plan: Plan): Promise<void> => {
  const bundles = await bundle()
  const before = snapshot()
  const server = await startServer(bundles.server, { contacts: plan.w1.items, realTraffic: plan.realTraffic })
  progress(`loopback server at ${server.baseUrl}: ${server.pages} pages, ${num(server.bytes / 2 ** 20, 1)} MiB`)
  await warmServer(bundles.child, server.baseUrl, plan)
  const collected = emptyCollected()
  const keep = <K>(map: Map<K, Array<NetworkResult>>, key: K, result: NetworkResult) =>
    map.set(key, [...(map.get(key) ?? []), result])
  try {
    for (let round = 1; round <= plan.rounds; round++) {
      const tag = `round ${round}/${plan.rounds}`
      const contenders = rotate(plan.contenders, round - 1)
      if (plan.workloads.includes("w1")) {
        for (const contender of contenders) {
          const job = { workload: "w1", contender, baseUrl: server.baseUrl, ...plan.w1 } as const
          const result = (await mustRun(bundles.child, job, `W1 ${contender}`)) as NetworkResult
          keep(collected.w1, contender, result)
          progress(
            `${tag} W1 ${contender.padEnd(15)} ${num(result.count / (result.wallMs / 1000)).padStart(8)} items/s`
          )
        }
      }
      if (plan.workloads.includes("decode")) {
        const job = { workload: "decode", realTraffic: plan.realTraffic, ...plan.decode } as const
        const result = await mustRun(bundles.child, job, "decode")
        if (!("decodeUsPerContact" in result)) throw new Error("decode: unexpected reply")
        collected.decode.push(result)
        progress(
          `${tag} decode: JSON.parse ${num(result.parseUsPerContact, 2)} µs, SDK ${num(result.decodeUsPerContact, 2)} µs per contact`
        )
      }
      if (plan.workloads.includes("w3")) {
        for (const concurrency of plan.w3.concurrencies) {
          const byContender = collected.w3.get(concurrency) ?? new Map<ContenderName, Array<NetworkResult>>()
          collected.w3.set(concurrency, byContender)
          for (const contender of contenders) {
            const job = {
              workload: "w3",
              contender,
              baseUrl: server.baseUrl,
              calls: plan.w3.calls,
              warmupCalls: plan.w3.warmupCalls,
              concurrency
            } as const
            const result = (await mustRun(bundles.child, job, `W3 ${contender} c${concurrency}`)) as NetworkResult
            keep(byContender, contender, result)
            progress(
              `${tag} W3 c${String(concurrency).padEnd(2)} ${contender.padEnd(15)} ${num((result.wallMs * 1000) / result.count).padStart(6)} µs/call`
            )
          }
        }
      }
    }
  } finally {
    await server.stop()
  }
  const after = snapshot()
  const seconds = before === undefined || after === undefined ? NaN : (after.at - before.at) / 1000
  const others = othersCores(before, after)
  progress(
    `done in ${num(seconds, 1)} s; other processes used ${others === undefined ? "?" : num(others, 2)} cores meanwhile\n`
  )

  const body = report(plan, collected, { seconds, othersCores: others })
  process.stdout.write(body)
  if (plan.write) {
    const intro = [
      "# Benchmarks",
      "",
      ...(plan.note === undefined ? [] : [plan.note, ""]),
      "Written by `pnpm bench --write` from one run of the harness in [bench/](bench): a loopback server in its own process serves Intercom 2.10 bodies (150 fully populated contacts per page, GET /me), and each contender runs against it in a fresh process per round. Figures from another machine are not comparable to these; compare contenders within one run.",
      ""
    ].join("\n")
    writeFileSync(benchmarksFile, `${intro}\n${body}`)
    progress(`wrote ${benchmarksFile}`)
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
