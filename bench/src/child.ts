/**
 * Entry of a measuring child process: one job (argv[2], JSON), one reply over IPC, then exit. A fresh process per
 * round keeps peak RSS and CPU attributable to the one contender that ran in it.
 */
import { makeContender } from "./contenders/index.js"
import type { Contender } from "./contenders/types.js"
import type { IdentifyJob, Job, NetworkResult, Reply, WalkJob } from "./jobs.js"
import { profiled } from "./profiled.js"

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
    // child for the export app, only a sync child for the sync engine.
    const result =
      job.workload === "decode"
        ? (await import("./decode.js")).runDecode(job)
        : job.workload === "w2"
          ? await (await import("./export.js")).runExport(job)
          : job.workload === "w1" || job.workload === "w3"
            ? await network(job)
            : await (await import("./sync.js")).runSync(job)
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
