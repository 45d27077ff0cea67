/**
 * Decode alone: what turning a 150-contact page into values costs, with no network in the way. `JSON.parse` of the
 * page text is the yardstick; the SDK's decode of the already parsed page is what issue 7 must bring down to it.
 */
import type { DecodeJob, DecodeResult } from "./jobs.js"
import { sdkDecode } from "./sdkDecode.js"
import { contactPage, PER_PAGE } from "./server/data.js"
import { median } from "./stats.js"

/**
 * Parse and decode take turns in short batches, each after a forced collection, and each side reports its median
 * batch: a burst of load from elsewhere on the machine then spoils a batch or two of both sides instead of one side's
 * whole figure, and the garbage one side leaves is not collected on the other's time.
 */
const BATCHES = 10

const timeUs = (iterations: number, run: (i: number) => void): number => {
  globalThis.gc?.()
  const start = performance.now()
  for (let i = 0; i < iterations; i++) run(i)
  return (performance.now() - start) * 1000
}

export const runDecode = (job: DecodeJob): DecodeResult => {
  // Enough contacts that the pages are not all the same page; the list's total is only metadata here.
  const total = job.pages * PER_PAGE
  const texts = Array.from({ length: job.pages }, (_, page) =>
    JSON.stringify(contactPage(page, total, { realTraffic: job.realTraffic }))
  )
  const parsed = texts.map((text): unknown => JSON.parse(text))
  let seen = 0
  const parse = (i: number) => {
    seen += (JSON.parse(texts[i % texts.length]!) as { data: ReadonlyArray<unknown> }).data.length
  }
  const decode = (i: number) => {
    seen += sdkDecode(parsed[i % parsed.length]).data.length
  }
  const perBatch = Math.max(1, Math.round(job.iterations / BATCHES))
  // Warm-up: let both paths reach optimized code before either is timed.
  const warmup = Math.max(job.pages, perBatch * 3)
  timeUs(warmup, parse)
  timeUs(warmup, decode)
  const parseBatches: Array<number> = []
  const decodeBatches: Array<number> = []
  for (let batch = 0; batch < BATCHES; batch++) {
    parseBatches.push(timeUs(perBatch, parse))
    decodeBatches.push(timeUs(perBatch, decode))
  }
  // Every operation saw a full page, or a figure per contact would be per nothing.
  const expected = 2 * (warmup + BATCHES * perBatch) * PER_PAGE
  if (seen !== expected) throw new Error(`decode workload saw ${seen} contacts, expected ${expected}`)
  const contactsPerBatch = perBatch * PER_PAGE
  return {
    contacts: BATCHES * contactsPerBatch,
    parseUsPerContact: median(parseBatches) / contactsPerBatch,
    decodeUsPerContact: median(decodeBatches) / contactsPerBatch,
    bytesPerContact: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / total
  }
}
