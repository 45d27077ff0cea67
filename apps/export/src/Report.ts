/**
 * Progress on a terminal: one line per finished walk and, on a TTY, a status line rewritten as pages arrive, with
 * the items stored, the pages fetched, the rate-limit window the client last saw and the rate-limit waits of this
 * run so far, as the client's `ClientMetrics` count them (so pacing shows: remaining falls to 0, the client holds
 * its calls until the reset, and the count of waits and the time waited grow).
 */
import { ClientMetrics, IntercomClient } from "@intercom-effect/http"
import * as Export from "@intercom-effect/sync/Export"
import type * as ExportStore from "@intercom-effect/sync/ExportStore"
import { Clock, Duration, Effect, Layer, Option } from "effect"

const format = (n: number): string => n.toLocaleString("en-US")

const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`

const wholeSeconds = (duration: Duration.Duration): string =>
  Duration.format(Duration.seconds(Math.round(Duration.toSeconds(duration))))

/** A reporter writing to `write` (stderr by default), redrawing one status line when `tty`. */
export const layer = (options: {
  readonly tty: boolean
  readonly write?: (text: string) => void
}): Layer.Layer<Export.Reporter, never, IntercomClient.IntercomClient> =>
  Layer.effect(
    Export.Reporter,
    Effect.gen(function* () {
      const client = yield* IntercomClient.IntercomClient
      const write = options.write ?? ((text: string) => void process.stderr.write(text))
      const items: Record<ExportStore.Resource, number> = { contacts: 0, companies: 0, conversations: 0 }
      let pages = 0
      let last = 0
      // The client counts its waits; this run's are the difference from what the process had waited before it.
      const before = yield* ClientMetrics.totals
      const status = Effect.gen(function* () {
        const window = yield* client.rateLimit
        const now = yield* Clock.currentTimeMillis
        const waited = ClientMetrics.rateLimitWaitsBetween(before, yield* ClientMetrics.totals)
        const rate = Option.match(window, {
          onNone: () => "",
          onSome: (w) => {
            const held = w.remaining === 0 && w.resetAtMillis > now ? `, held ${seconds(w.resetAtMillis - now)}` : ""
            return `  window ${w.remaining}/${w.limit}${held}  rate-limit waits ${format(waited.count)} (${seconds(waited.millis)})`
          }
        })
        return `contacts ${format(items.contacts)}  companies ${format(items.companies)}  conversations ${format(items.conversations)}  pages ${format(pages)}${rate}`
      })
      return Export.Reporter.of({
        walkStarted: (walk, resumed) =>
          Effect.sync(() => write(`${options.tty ? "\r\x1b[K" : ""}${resumed ? "resuming" : "starting"} ${walk}\n`)),
        page: (event) =>
          Effect.gen(function* () {
            items[event.resource] += event.items
            pages++
            const line = yield* status
            const now = yield* Clock.currentTimeMillis
            if (options.tty) write(`\r\x1b[K${line}`)
            // Without a TTY, a line every few seconds and at the end of each walk, not one per page.
            else if (event.done || now - last > 2000) {
              last = now
              write(`${line}\n`)
            }
            if (event.done) write(`${options.tty ? "\r\x1b[K" : ""}finished ${event.walk}\n`)
          }),
        waiting: (event) =>
          Effect.sync(() =>
            write(
              `${options.tty ? "\r\x1b[K" : ""}${event.walk}: ${event.error}; waiting ${wholeSeconds(event.delay)} ` +
                `before trying again (gives up after ${wholeSeconds(event.left)} more without progress)\n`
            )
          )
      })
    })
  )

/** The summary of a run as text. */
export const summary = (result: Export.Summary): string =>
  [
    `stored: ${format(result.stored.contacts)} contacts, ${format(result.stored.companies)} companies, ${format(result.stored.conversations)} conversations`,
    `this run: ${format(result.pages)} pages in ${(result.millis / 1000).toFixed(1)} s` +
      (result.resumed > 0 ? `, ${result.resumed} walk(s) resumed` : "") +
      (result.skipped > 0 ? `, ${result.skipped} walk(s) already complete` : "")
  ].join("\n")
