/**
 * What `intercom-sync` prints: progress on stderr while a run goes (a status line redrawn on a terminal, a line every
 * few seconds otherwise), the summary of a run and the status of a store on stdout.
 */
import { IntercomClient } from "@intercom-effect/http"
import { type Copy, Plan, Progress, type Run } from "@intercom-effect/sync"
import { Clock, Effect, Layer, Option } from "effect"

const format = (n: number): string => n.toLocaleString("en-US")

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(".000Z", "Z")

const duration = (millis: number): string =>
  millis < 60_000 ? `${(millis / 1000).toFixed(1)} s` : `${(millis / 60_000).toFixed(1)} min`

/** Progress written to `write` (stderr by default); `tty` redraws one status line in place. */
export const progress = (options: {
  readonly tty: boolean
  readonly write?: (text: string) => void
  /** While true, nothing is written (the process is stopping). */
  readonly quiet?: () => boolean
}): Layer.Layer<Progress.Progress, never, IntercomClient.IntercomClient> =>
  Layer.effect(
    Progress.Progress,
    Effect.gen(function* () {
      const client = yield* IntercomClient.IntercomClient
      const out = options.write ?? ((text: string) => void process.stderr.write(text))
      const write = (text: string) => {
        if (options.quiet?.() !== true) out(text)
      }
      const clear = options.tty ? "\r\x1b[K" : ""
      const items: Record<string, number> = {}
      let pages = 0
      let last = 0
      const line = Effect.map(client.rateLimit, (window) => {
        const counts = Plan.resources.map((r) => `${r} ${format(items[r] ?? 0)}`).join("  ")
        const rate = Option.match(window, {
          onNone: () => "",
          onSome: (w) => `  window ${w.remaining}/${w.limit}`
        })
        return `${counts}  pages ${format(pages)}${rate}`
      })
      return Progress.Progress.of({
        page: (event) =>
          Effect.gen(function* () {
            items[event.resource] = (items[event.resource] ?? 0) + event.items
            pages++
            const text = yield* line
            const now = yield* Clock.currentTimeMillis
            if (options.tty) write(`${clear}${text}`)
            else if (event.done || now - last > 2_000) {
              last = now
              write(`${text}\n`)
            }
            if (event.done) write(`${clear}finished ${event.walk}\n`)
          }),
        waiting: (event) =>
          Effect.sync(() =>
            write(
              `${clear}waiting: ${event.walk}: ${event.reason} (retrying; ${duration(event.waitedMillis)} of ${duration(event.patienceMillis)} patience used)\n`
            )
          )
      })
    })
  )

const countsText = (counts: Readonly<Record<string, Run.Counts>>, verb: string): string =>
  Object.entries(counts)
    .map(
      ([resource, c]) =>
        `${resource} ${format(c.items)} ${verb}${c.removed > 0 ? ` (${format(c.removed)} removed)` : ""}`
    )
    .join(", ")

/** The summary of a finished run. */
export const summary = (
  result: Run.Summary,
  stored: Readonly<Record<string, number>>,
  options: { readonly resumed: boolean; readonly millis: number }
): string =>
  [
    `${result.runId}${options.resumed ? " (resumed)" : ""}: synced up to ${iso(result.until)} in ${duration(options.millis)}, ${format(result.requests)} requests`,
    `  changed: ${countsText(result.changes, "fetched")}`,
    ...(Object.keys(result.reconciliation).length > 0
      ? [`  reconciled: ${countsText(result.reconciliation, "checked")}`]
      : []),
    `  stored: ${Object.entries(stored)
      .map(([resource, n]) => `${format(n)} ${resource}`)
      .join(", ")}`
  ].join("\n")

/** The status of a store: what is synced up to when, the pending run and its last error, recent runs. */
export const status = (
  history: Readonly<Record<string, number>>,
  reconciledAt: number | null,
  stored: Readonly<Record<string, number>>,
  runs: ReadonlyArray<Copy.RunRecord>
): string => {
  const lines = Plan.resources.map(
    (resource) =>
      `${resource.padEnd(14)} ${format(stored[resource] ?? 0).padStart(10)} stored, synced up to ${history[resource] === undefined ? "never" : iso(history[resource]!)}`
  )
  lines.push(`ids reconciled: ${reconciledAt === null ? "never" : iso(reconciledAt)}`)
  const pending = runs.find((run) => run.status === "running")
  if (pending !== undefined) {
    lines.push(
      `unfinished: ${pending.runId} (window up to ${iso(pending.plan.until)}, started ${iso(pending.startedAt)})` +
        (pending.lastError === null ? "" : `; last error at ${iso(pending.errorAt ?? 0)}: ${pending.lastError}`)
    )
  }
  if (runs.length > 0) lines.push("recent runs:")
  for (const run of runs) {
    lines.push(
      `  ${run.runId.padEnd(8)} ${run.status.padEnd(9)} window up to ${iso(run.plan.until)}` +
        (run.finishedAt === null ? "" : `, ended ${iso(run.finishedAt)}`) +
        (run.lastError === null ? "" : `; error: ${run.lastError}`)
    )
  }
  return lines.join("\n")
}
