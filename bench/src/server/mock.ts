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
import * as MockIntercom from "@intercom-effect/mock-server/MockIntercom"
import { Duration, Effect, Layer } from "effect"
import { TOKEN } from "../contenders/types.js"

/** What the parent passes as argv[2] (JSON). */
export interface MockOptions {
  readonly contacts: number
  /** Requests per window, and the window. */
  readonly limit: number
  readonly windowMillis: number
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
}

/** The parent's requests, answered in order, one at a time. */
export type MockRequest = { readonly type: "reset" } | { readonly type: "counters" }

/** The answer to a {@link MockRequest}. */
export type MockAnswer = { readonly type: "reset" } | { readonly type: "counters"; readonly counters: MockCounters }

const options = JSON.parse(process.argv[2] ?? "{}") as MockOptions

const serve = Effect.gen(function* () {
  const mock = yield* MockIntercom.MockIntercom
  // What GET /contacts lists, and so what an export must store: archived contacts are left out of lists.
  const contacts = mock.state.contacts.values((record) => !record.archived)
  const created = contacts.map((record) => record.contact.created_at)
  const answer = (request: MockRequest): Effect.Effect<MockAnswer> =>
    request.type === "reset"
      ? Effect.as(mock.counters.reset, { type: "reset" as const })
      : Effect.map(mock.counters.snapshot, (snapshot) => ({
          type: "counters" as const,
          counters: {
            requests: snapshot.requests,
            rateLimited: snapshot.responses[429] ?? 0,
            maxPerWindow: snapshot.maxPerWindow,
            perWindow: snapshot.windows.map((window) => window.served),
            responses: snapshot.responses
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
Effect.runFork(
  serve.pipe(
    Effect.provide(
      MockIntercom.layer({
        // The demo's seed: any seed does, as long as every run of the harness serves the same workspace.
        seed: 2026,
        contacts: options.contacts,
        companies: 1,
        conversations: 0,
        accessToken: TOKEN,
        rateLimit: { limit: options.limit, window: Duration.millis(options.windowMillis) }
      }).pipe(Layer.orDie)
    )
  )
)
