/**
 * The demo: the export app run end to end. By default against the embedded mock Intercom (a seeded workspace of
 * 20,000 contacts, 5,000 conversations and 500 companies, with Intercom's window rate limit scaled down so the run
 * takes well under a minute), showing the export's progress and pacing, then a summary: items, pages, requests,
 * responses 429, time, and time against the least the rate limit allows. With INTERCOM_ACCESS_TOKEN set, the same
 * export runs against real Intercom instead.
 */
import * as os from "node:os"
import * as path from "node:path"
import * as fs from "node:fs"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { App, Retry } from "@intercom-effect/app-kit"
import { Cleanup, Report } from "@intercom-effect/export"
import { IntercomConfig, type IntercomError } from "@intercom-effect/http"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Export, ExportSqlite, type ExportStore } from "@intercom-effect/sync"
import { Clock, Config, type ConfigError, Console, Duration, Effect, Layer, Option } from "effect"

/** How big the local workspace is, and how tight its rate limit. */
export interface LocalOptions {
  readonly contacts: number
  readonly conversations: number
  readonly companies: number
  /** Requests per window, and the window. */
  readonly limit: number
  readonly window: Duration.DurationInput
  /** Contacts walked as this many `created_at` partitions side by side. */
  readonly partitions: number
  /** Whether progress redraws one line (a terminal) or prints lines. */
  readonly tty: boolean
}

/** Intercom's windows are 10 s long; here 2 s, with the limit scaled to match, so the pacing shows in seconds. */
export const defaults: LocalOptions = {
  contacts: 20_000,
  conversations: 5_000,
  companies: 500,
  limit: 20,
  window: "2 seconds",
  partitions: 4,
  tty: process.stderr.isTTY === true
}

/** What the local demo measured, for the summary and for tests. */
export interface LocalReport {
  readonly summary: Export.Summary
  readonly seeded: { readonly contacts: number; readonly conversations: number; readonly companies: number }
  readonly requests: number
  readonly rateLimited: number
  readonly maxPerWindow: number
  /** The export's wall time, in milliseconds, from the moment `minimumMillis` is counted from. */
  readonly millis: number
  /** The least time the rate limit allows for that many requests from the export's start, in milliseconds. */
  readonly minimumMillis: number
}

// A token for the embedded mock only; it opens nothing else.
const demoToken = "demo-token-for-the-embedded-mock"

const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`

/** Runs the export against a freshly seeded mock and prints the summary. */
export const local = (options: LocalOptions): Effect.Effect<LocalReport> =>
  Effect.gen(function* () {
    const mock = yield* MockIntercom.MockIntercom
    const contacts = mock.state.contacts.values()
    const created = contacts.map((record) => record.contact.created_at)
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "intercom-demo-")), "export.sqlite")
    yield* Console.error(
      `mock Intercom at ${mock.url}: ${contacts.length.toLocaleString("en-US")} contacts, ` +
        `${mock.state.conversations.size.toLocaleString("en-US")} conversations, ${mock.state.companies.size} companies; ` +
        `rate limit ${options.limit} requests per ${Duration.format(options.window)}\nexporting into ${file}\n`
    )
    const services = Intercom.layer.pipe(
      Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: demoToken, baseUrl: mock.url }))),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const startedAt = yield* Clock.currentTimeMillis
    const summary = yield* Export.run({
      ...Export.defaults,
      partitions: options.partitions,
      // Every walk at once (the partitions, companies, conversations): the rate limit paces them together, and no walk
      // is left to run alone at the end, where one page at a time cannot use a whole window.
      concurrency: options.partitions + 2,
      since: Math.min(...created),
      until: Math.max(...created)
    }).pipe(
      Effect.provide(
        Layer.mergeAll(Layer.orDie(ExportSqlite.layer(file)), Report.layer({ tty: options.tty })).pipe(
          Layer.provideMerge(services)
        )
      ),
      Effect.orDie
    )
    const millis = (yield* Clock.currentTimeMillis) - startedAt
    const counters = yield* mock.counters.snapshot
    const windowMillis = Duration.toMillis(options.window)
    // The mock's windows are aligned to the clock, so the export starts some way into one and gets that window's
    // whole allowance in what is left of it. From there, N requests at L per window can all have gone at the start
    // of the ceil(N / L)-th window at the earliest.
    const phaseMillis = startedAt % windowMillis
    const minimumMillis = Math.max(0, (Math.ceil(counters.requests / options.limit) - 1) * windowMillis - phaseMillis)
    const report: LocalReport = {
      summary,
      seeded: {
        contacts: contacts.length,
        conversations: mock.state.conversations.size,
        companies: mock.state.companies.size
      },
      requests: counters.requests,
      rateLimited: counters.responses[429] ?? 0,
      maxPerWindow: counters.maxPerWindow,
      millis,
      minimumMillis
    }
    yield* Console.log(
      [
        "",
        Report.summary(summary),
        `requests: ${counters.requests} (at most ${counters.maxPerWindow} in a window of ${options.limit}); responses 429: ${report.rateLimited}`,
        `time: ${seconds(millis)}, against ${seconds(minimumMillis)} at least for ${counters.requests} requests ` +
          `at ${options.limit} per ${Duration.format(options.window)} (${(millis / Math.max(minimumMillis, 1)).toFixed(2)}×)`
      ].join("\n")
    )
    return report
  }).pipe(
    Effect.provide(
      MockIntercom.layer({
        seed: 2026,
        contacts: options.contacts,
        conversations: options.conversations,
        companies: options.companies,
        accessToken: demoToken,
        rateLimit: { limit: options.limit, window: options.window }
      }).pipe(Layer.orDie)
    )
  )

/**
 * Where the demo keeps a real workspace's export: outside any checkout, in the user's cache directory
 * (`$XDG_CACHE_HOME/intercom-effect/demo.sqlite`, by default `~/.cache/intercom-effect/demo.sqlite`), so that
 * customer data never lands in a repository by accident.
 */
export const remoteFile = (env: NodeJS.ProcessEnv = process.env): string =>
  path.join(env["XDG_CACHE_HOME"] ?? path.join(os.homedir(), ".cache"), "intercom-effect", "demo.sqlite")

/** Runs the export against real Intercom (INTERCOM_ACCESS_TOKEN, INTERCOM_REGION), into {@link remoteFile}. */
export const remote: Effect.Effect<
  void,
  Export.PlanMismatch | IntercomError.IntercomError | ExportStore.StoreError | ConfigError.ConfigError,
  App.App
> = Effect.gen(function* () {
  const app = yield* App.App
  const file = remoteFile()
  fs.mkdirSync(path.dirname(file), { recursive: true })
  yield* Console.error(`exporting your workspace into ${file} (run again to resume)\n`)
  const intercom = Intercom.layerConfig({ retrySchedule: Retry.announcing(app.notice) }).pipe(
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const summary = yield* Cleanup.removeIfUnused(file, ExportSqlite.layer(file), (store) =>
    Export.run(Export.defaults).pipe(
      Effect.provide(
        Layer.mergeAll(store, Report.layer({ tty: process.stderr.isTTY === true })).pipe(Layer.provideMerge(intercom))
      )
    )
  ).pipe(App.resumable("run pnpm demo again to resume"))
  yield* Console.log(`\n${Report.summary(summary)}`)
})

/** Real Intercom when a token is configured, else the embedded mock. */
export const main = Effect.flatMap(Config.option(Config.redacted("INTERCOM_ACCESS_TOKEN")), (token) =>
  Option.isSome(token) ? remote : Effect.asVoid(local(defaults))
)
