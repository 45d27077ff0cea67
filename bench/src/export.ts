/**
 * W2 inside a measuring child: build the contender's export (runtime, store, client) before the clock starts, wait
 * for the mock's next window to begin, then time one export of every contact.
 *
 * Why start at a window boundary: windows are aligned to the clock, and a run that starts late in a window gets that
 * window's whole allowance in a fraction of its length. The least time the limit allows then swings by up to one
 * window from run to run with the start's phase alone, which would drown the pacing being measured. From the start of
 * a window, N requests at L per window W need ceil(N / L) windows, so at least (ceil(N / L) − 1) × W, whatever the
 * client: that is the figure the report divides by.
 */
import type { ExportContenderName, ExportJob, ExportResult } from "./jobs.js"

/** An export contender, ready to run. */
export interface Exporter {
  /** Exports every contact once; resolves with what it saw and stored, and why it stopped early if it did. */
  readonly run: () => Promise<Omit<ExportResult, "wallMs">>
  /** Releases the runtime, the store and its temporary files. */
  readonly close: () => Promise<void>
}

/** Each contender is imported only by the child that runs it, as in W1 and W3. */
const makeExporter: Readonly<Record<ExportContenderName, (job: ExportJob) => Promise<Exporter>>> = {
  sdk: async (job) => (await import("./contenders/exportApp.js")).make(job, 1),
  "sdk-partitioned": async (job) => (await import("./contenders/exportApp.js")).make(job, job.partitions),
  "intercom-client": async (job) => (await import("./contenders/intercomClientExport.js")).make(job)
}

const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

/**
 * Resolves once `Date.now()` (the clock the mock's windows follow, on the same machine) has reached the start of the
 * next window. A timer may fire a millisecond early against the wall clock; starting in the old window would hand the
 * client a spare allowance, so the wait repeats until the boundary has really passed.
 */
const nextWindow = async (windowMillis: number): Promise<void> => {
  const target = Math.ceil(Date.now() / windowMillis) * windowMillis
  while (Date.now() < target) await sleep(Math.max(1, target - Date.now()))
}

export const runExport = async (job: ExportJob): Promise<ExportResult> => {
  const exporter = await makeExporter[job.contender](job)
  try {
    await nextWindow(job.windowMillis)
    const start = performance.now()
    const outcome = await exporter.run()
    return { wallMs: performance.now() - start, ...outcome }
  } finally {
    await exporter.close()
  }
}
