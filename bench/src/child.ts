/**
 * Entry of a measuring child process: one job (argv[2], JSON), one reply over IPC, then exit. A fresh process per
 * round keeps peak RSS and CPU attributable to the one contender that ran in it.
 */
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { makeContender } from "./contenders/index.js"
import type { Contender } from "./contenders/types.js"
import type { IdentifyJob, Job, NetworkResult, Reply, WalkJob } from "./jobs.js"

/**
 * Wraps the measured pass in a CPU profile when asked. The inspector's profiler, rather than `node --cpu-prof`, keeps
 * start-up and warm-up out of the profile; the figures of a profiled pass are slower and are not reported.
 */
const profiled = async <A>(profileTo: string | undefined, run: () => Promise<A>): Promise<A> => {
  if (profileTo === undefined) return run()
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  // 100 µs: fine enough to see a per-call path of a few hundred µs, cheap enough not to reshape it.
  await session.post("Profiler.setSamplingInterval", { interval: 100 })
  await session.post("Profiler.start")
  try {
    return await run()
  } finally {
    const { profile } = await session.post("Profiler.stop")
    writeFileSync(profileTo, JSON.stringify(profile))
    session.disconnect()
  }
}

const measure = async (
  expected: number,
  profileTo: string | undefined,
  run: () => Promise<number>
): Promise<NetworkResult> => {
  // Start from a collected heap so garbage left by the warm-up is not billed to the measured pass.
  globalThis.gc?.()
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  const count = await profiled(profileTo, run)
  const wallMs = performance.now() - start
  const cpu = process.cpuUsage(cpuBefore)
  if (count !== expected) throw new Error(`expected ${expected} results, got ${count}`)
  return { count, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }
}

const network = async (job: WalkJob | IdentifyJob): Promise<NetworkResult> => {
  const contender: Contender = await makeContender[job.contender](job.baseUrl)
  try {
    if (job.workload === "w1") {
      await contender.walk(job.warmupItems)
      return await measure(job.items, job.profileTo, () => contender.walk(job.items))
    }
    await contender.identify(job.warmupCalls, job.concurrency)
    return await measure(job.calls, job.profileTo, () => contender.identify(job.calls, job.concurrency))
  } finally {
    await contender.close()
  }
}

const run = async (job: Job): Promise<Reply> => {
  try {
    // Loaded on demand like the contenders: only the decode child pays for the schemas it needs, only an export
    // child for the export app.
    const result =
      job.workload === "decode"
        ? (await import("./decode.js")).runDecode(job)
        : job.workload === "w2"
          ? await (await import("./export.js")).runExport(job)
          : await network(job)
    return { ok: true, result }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
}

// A parent that went away (Ctrl-C) can take no reply: stop rather than finish a job nobody reads.
process.once("disconnect", () => process.exit(1))
const reply = await run(JSON.parse(process.argv[2] ?? "null") as Job)
// Exit once the reply is out: pooled sockets and runtimes would otherwise keep the process alive.
process.send?.(reply, () => process.exit(0))
