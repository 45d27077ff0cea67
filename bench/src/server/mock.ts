/**
 * W2's server: the stateful mock Intercom of `@intercom-effect/mock-server`, seeded with the contacts to export and
 * rate-limited in windows, run in a process of its own like the loopback server. The parent asks it over IPC to
 * start counting afresh before each contender and for its counters after, so each run's 429s and busiest window are
 * that run's alone.
 *
 * The mock is a real Intercom stand-in (Schema-encoded bodies, cursor and search paging, Intercom's window limit
 * and headers), not the bare page server of W1: W2 measures pacing against a limit, and the pacing depends on the
 * headers and 429s a real server sends.
 */
import * as Living from "@intercom-effect/mock-server/Living"
import * as MockIntercom from "@intercom-effect/mock-server/MockIntercom"
import * as Seed from "@intercom-effect/mock-server/Seed"
import { Duration, Effect, Layer } from "effect"
import { TOKEN } from "../contenders/types.js"

/** What the parent passes as argv[2] (JSON). */
export interface MockOptions {
  readonly contacts: number
  /** Requests per window, and the window. */
  readonly limit: number
  readonly windowMillis: number
  /** A living workspace, for the sync workloads (S1, S2); W2's workspace does not live. */
  readonly living?: LivingOptions | undefined
}

/**
 * The sync workloads' workspace: its clock starts at `start` (epoch ms) and moves only when the parent asks; while it
 * moves, `updatesPerHour` contacts are changed each simulated hour (the mock's `contacts.updated`) and nothing else
 * happens. The seeded history ends at `historyUntil` (unix seconds), a day before the clock starts, so that a search
 * of the day the clock starts in matches the changes alone.
 */
export interface LivingOptions {
  readonly start: number
  readonly historyUntil: number
  readonly updatesPerHour: number
}

/** What the server sends its parent once it listens. */
export interface MockReady {
  readonly port: number
  /** Contacts the list serves. */
  readonly contacts: number
  /** The span of the contacts' `created_at`, in unix seconds, for the partitioned export. */
  readonly since: number
  readonly until: number
}

/** What the mock counted since the last reset. */
export interface MockCounters {
  readonly requests: number
  /** Responses 429, refused by the window limit (the mock injects no faults here). */
  readonly rateLimited: number
  /** The most requests the limit let through in one window. */
  readonly maxPerWindow: number
  /** Requests the limit let through in each window that saw one, oldest first. */
  readonly perWindow: ReadonlyArray<number>
  /** Responses by status, for anything unexpected. */
  readonly responses: Readonly<Record<number, number>>
  /** CPU the mock's process used (user + system, ms): how much of a run's wall time went to serving it. */
  readonly cpuMs: number
}

/** What an advance of a living workspace's clock did. */
export interface Advanced {
  /** The workspace clock after it, epoch ms. */
  readonly now: number
  /** Changes made. */
  readonly applied: number
  /** Distinct contacts whose `updated_at` is now later than the clock was before (a contact may change twice). */
  readonly changed: number
}

/** The parent's requests, answered in order, one at a time. */
export type MockRequest =
  | { readonly type: "reset" }
  | { readonly type: "counters" }
  | { readonly type: "advance"; readonly ms: number }

/** The answer to a {@link MockRequest}. */
export type MockAnswer =
  | { readonly type: "reset" }
  | { readonly type: "counters"; readonly counters: MockCounters }
  | { readonly type: "advanced"; readonly advanced: Advanced }

const options = JSON.parse(process.argv[2] ?? "{}") as MockOptions

const serve = Effect.gen(function* () {
  const mock = yield* MockIntercom.MockIntercom
  // What GET /contacts lists, and so what an export must store: archived contacts are left out of lists.
  const contacts = mock.state.contacts.values((record) => !record.archived)
  const created = contacts.map((record) => record.contact.created_at)
  const advance = (ms: number): Effect.Effect<MockAnswer> =>
    Effect.gen(function* () {
      const before = Math.floor((yield* mock.now) / 1000)
      const { applied, now } = yield* Effect.orDie(mock.advance(Duration.millis(ms)))
      const changed = mock.state.contacts.values((record) => (record.contact.updated_at ?? 0) > before).length
      return { type: "advanced" as const, advanced: { now, applied, changed } }
    })
  let cpuAtReset = process.cpuUsage()
  const answer = (request: MockRequest): Effect.Effect<MockAnswer> =>
    request.type === "reset"
      ? Effect.as(
          Effect.zipRight(
            mock.counters.reset,
            Effect.sync(() => {
              cpuAtReset = process.cpuUsage()
            })
          ),
          { type: "reset" as const }
        )
      : request.type === "advance"
        ? advance(request.ms)
        : Effect.map(mock.counters.snapshot, (snapshot) => ({
            type: "counters" as const,
            counters: {
              requests: snapshot.requests,
              rateLimited: snapshot.responses[429] ?? 0,
              maxPerWindow: snapshot.maxPerWindow,
              perWindow: snapshot.windows.map((window) => window.served),
              responses: snapshot.responses,
              cpuMs: ((cpu) => (cpu.user + cpu.system) / 1000)(process.cpuUsage(cpuAtReset))
            }
          }))
  process.on("message", (request: MockRequest) => {
    void Effect.runPromise(answer(request)).then((reply) => process.send?.(reply))
  })
  const ready: MockReady = {
    port: Number(new URL(mock.url).port),
    contacts: contacts.length,
    // `reduce` rather than spreading 20,000 arguments into Math.min.
    since: created.reduce((a, b) => Math.min(a, b), Infinity),
    until: created.reduce((a, b) => Math.max(a, b), -Infinity)
  }
  process.send?.(ready)
  return yield* Effect.never
})

// The parent owns this process: when it goes, so does the server.
process.on("disconnect", () => process.exit(0))
// The demo's seed: any seed does, as long as every run of the harness serves the same workspace.
const seed = 2026

/** Every change of a living workspace switched off but the contacts' updates. */
const livingOf = (living: LivingOptions): Living.Options => ({
  start: living.start,
  rates: {
    ...Object.fromEntries(Living.changeKinds.map((kind) => [kind, 0])),
    "contacts.updated": living.updatesPerHour
  },
  longConversations: { count: 0, partsPerHour: 0 }
})

Effect.runFork(
  serve.pipe(
    Effect.provide(
      MockIntercom.layer({
        seed,
        contacts: options.contacts,
        companies: 1,
        conversations: 0,
        accessToken: TOKEN,
        rateLimit: { limit: options.limit, window: Duration.millis(options.windowMillis) },
        ...(options.living === undefined
          ? {}
          : {
              data: Seed.make({
                seed,
                contacts: options.contacts,
                companies: 1,
                conversations: 0,
                until: options.living.historyUntil
              }),
              living: livingOf(options.living)
            })
      }).pipe(Layer.orDie)
    )
  )
)
