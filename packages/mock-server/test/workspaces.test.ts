/**
 * Several workspaces in one mock, picked by the bearer token: each keeps its own data, clock, rate limit, counters
 * and control routes; an unknown token is a 401 that no workspace counts. On real sockets.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { MockIntercom } from "../src/index.js"
import { token } from "./utils/mock.js"
import * as Raw from "./utils/raw.js"

// Derived from the scanned test token, so that a token printed anywhere fails the run.
const tokenA = `${token}-a`
const tokenB = `${token}-b`
const as = (bearer: string | null) => ({ authorization: bearer === null ? null : `Bearer ${bearer}` })

const get = (url: string, bearer: string | null, path: string) => Raw.request(url, "GET", path, { headers: as(bearer) })

const twoWorkspaces = (options: Partial<MockIntercom.Options> = {}) =>
  MockIntercom.layer({
    contacts: 5,
    companies: 2,
    conversations: 3,
    ...options,
    workspaces: [
      // A long window: a boundary passes at most once in a test, so 6 requests at 2 a window still meet a 429.
      { name: "alpha", token: tokenA, seed: 1, rateLimit: { limit: 2, window: "1 hour" } },
      { name: "beta", token: tokenB, seed: 2, contacts: 8, rateLimit: { limit: 100, window: "1 hour" } }
    ]
  }).pipe(Layer.orDie)

const totalCount = (answer: Raw.RawResponse) => (answer.json as { total_count: number }).total_count

describe("several workspaces", () => {
  it.scopedLive("each token sees its own data; a contact created in one is not in the other", () =>
    Effect.gen(function* () {
      const mock = yield* MockIntercom.MockIntercom
      assert.deepStrictEqual(
        mock.workspaces.map((w) => w.name),
        ["alpha", "beta"]
      )
      const alpha = yield* get(mock.url, tokenA, "/contacts")
      const beta = yield* get(mock.url, tokenB, "/contacts")
      assert.deepStrictEqual([alpha.status, beta.status], [200, 200])
      assert.deepStrictEqual([totalCount(alpha), totalCount(beta)], [5, 8])
      const ids = (answer: Raw.RawResponse) => (answer.json as { data: Array<{ id: string }> }).data.map((c) => c.id)
      assert.isTrue(
        ids(alpha).every((id) => !ids(beta).includes(id)),
        "different seeds, different ids"
      )

      const created = yield* Raw.request(mock.url, "POST", "/contacts", {
        body: { role: "user", email: "only-in-beta@example.com" },
        headers: as(tokenB)
      })
      assert.strictEqual(created.status, 200)
      const id = (created.json as { id: string }).id
      assert.strictEqual((yield* get(mock.url, tokenB, `/contacts/${id}`)).status, 200)
      assert.strictEqual((yield* get(mock.url, tokenA, `/contacts/${id}`)).status, 404)
      assert.strictEqual(Option.getOrThrow(mock.byName("beta")).state.contacts.size, 9)
      assert.strictEqual(Option.getOrThrow(mock.byName("alpha")).state.contacts.size, 5)
      assert.isTrue(Option.isNone(mock.byName("gamma")))
    }).pipe(Effect.provide(twoWorkspaces()))
  )

  it.scopedLive("each workspace has its own rate limit and counters: one is refused while the other is served", () =>
    Effect.gen(function* () {
      const mock = yield* MockIntercom.MockIntercom
      const burst = (bearer: string) => Effect.forEach(Array.from({ length: 6 }), () => get(mock.url, bearer, "/me"))
      const alpha = yield* burst(tokenA)
      const beta = yield* burst(tokenB)
      assert.isAtLeast(alpha.filter((a) => a.status === 429).length, 2)
      assert.deepStrictEqual(
        beta.map((a) => a.status),
        [200, 200, 200, 200, 200, 200]
      )
      assert.strictEqual(alpha[0]!.headers.get("x-ratelimit-limit"), "2")
      assert.strictEqual(beta[0]!.headers.get("x-ratelimit-limit"), "100")
      assert.strictEqual(beta[5]!.headers.get("x-ratelimit-remaining"), "94")

      const [a, b] = mock.workspaces
      const countersA = yield* a!.counters.snapshot
      const countersB = yield* b!.counters.snapshot
      assert.strictEqual(countersA.requests, 6)
      assert.strictEqual(countersA.responses[429], alpha.filter((r) => r.status === 429).length)
      assert.deepStrictEqual([countersB.requests, countersB.responses[429]], [6, undefined])
      // The service's own fields are the first workspace's.
      assert.strictEqual(mock.counters, a!.counters)
    }).pipe(Effect.provide(twoWorkspaces()))
  )

  it.scopedLive("no token or an unknown one is a 401 without rate-limit headers, counted by no workspace", () =>
    Effect.gen(function* () {
      const mock = yield* MockIntercom.MockIntercom
      for (const bearer of [null, "nobody", `${tokenA}x`]) {
        for (const path of ["/me", "/__mock/counters"]) {
          const answer = yield* get(mock.url, bearer, path)
          assert.strictEqual(answer.status, 401, `${bearer} on ${path}`)
          assert.strictEqual((answer.json as { errors: Array<{ code: string }> }).errors[0]?.code, "unauthorized")
          assert.isNull(answer.headers.get("x-ratelimit-limit"))
          assert.match(answer.headers.get("x-request-id") ?? "", /^mock-unknown-/)
        }
      }
      for (const workspace of mock.workspaces) {
        assert.strictEqual((yield* workspace.counters.snapshot).requests, 0)
      }
    }).pipe(Effect.provide(twoWorkspaces()))
  )

  it.scopedLive("the control routes act on the workspace of the token: clock, snapshot, counters", () =>
    Effect.gen(function* () {
      const mock = yield* MockIntercom.MockIntercom
      const start = Date.UTC(2025, 0, 1)
      yield* get(mock.url, tokenA, "/me")
      yield* get(mock.url, tokenB, "/me")
      yield* get(mock.url, tokenB, "/me")

      const advanced = yield* Raw.request(mock.url, "POST", "/__mock/advance", {
        body: { ms: 3_600_000 },
        headers: as(tokenA)
      })
      assert.strictEqual(advanced.status, 200)
      const now = (bearer: string) =>
        Effect.map(get(mock.url, bearer, "/__mock/now"), (answer) => (answer.json as { now: number }).now)
      assert.deepStrictEqual([yield* now(tokenA), yield* now(tokenB)], [start + 3_600_000, start])
      assert.strictEqual((yield* get(mock.url, tokenB, "/me")).headers.get("date"), new Date(start).toUTCString())

      const snapshot = (bearer: string) =>
        Effect.map(get(mock.url, bearer, "/__mock/snapshot"), (answer) => answer.json as { contacts: Array<unknown> })
      const [alpha, beta] = mock.workspaces
      assert.deepStrictEqual(
        yield* snapshot(tokenB),
        yield* Effect.map(beta!.snapshot, (s) => JSON.parse(JSON.stringify(s)))
      )
      assert.strictEqual((yield* snapshot(tokenA)).contacts.length, alpha!.state.contacts.size)
      assert.isAbove(alpha!.state.contacts.size, 5, "alpha's hour of contacts.created")
      assert.strictEqual(beta!.state.contacts.size, 8, "beta did not move")

      const requests = (bearer: string) =>
        Effect.map(
          get(mock.url, bearer, "/__mock/counters"),
          (answer) => (answer.json as { requests: number }).requests
        )
      assert.deepStrictEqual([yield* requests(tokenA), yield* requests(tokenB)], [1, 3])
      const reset = yield* Raw.request(mock.url, "POST", "/__mock/counters/reset", { headers: as(tokenB) })
      assert.strictEqual(reset.status, 204)
      assert.deepStrictEqual([yield* requests(tokenA), yield* requests(tokenB)], [1, 0])
    }).pipe(
      Effect.provide(twoWorkspaces({ living: { start: Date.UTC(2025, 0, 1), rates: { "contacts.created": 20 } } }))
    )
  )

  it.effect("workspaces the mock cannot serve are refused, naming workspaces and never a token", () =>
    Effect.gen(function* () {
      const refused = (options: MockIntercom.Options) =>
        Effect.flip(Effect.scoped(Layer.build(MockIntercom.layer(options))))
      const cases: ReadonlyArray<readonly [MockIntercom.Options, RegExp]> = [
        [{ workspaces: [] }, /at least one/],
        [{ accessToken: token, workspaces: [{ token: tokenA }] }, /accessToken and workspaces/],
        [{ workspaces: [{ token: tokenA }, { token: tokenA, name: "twin" }] }, /ws-1 and twin have the same token/],
        [
          {
            workspaces: [
              { token: tokenA, name: "x" },
              { token: tokenB, name: "x" }
            ]
          },
          /two workspaces are named x/
        ],
        [{ workspaces: [{ token: `${token} a` }] }, /ws-1: its token is empty or holds a space/]
      ]
      for (const [options, message] of cases) {
        const error = yield* refused(options)
        assert.strictEqual(error._tag, "InvalidWorkspaces")
        assert.match(error.message, message)
        assert.notInclude(error.message, token)
      }
    })
  )

  it.effect("one workspace by default: any token, named default, as before", () =>
    Effect.sync(() => {
      const mock = MockIntercom.make({ contacts: 3 })
      assert.deepStrictEqual(
        mock.workspaces.map((w) => [w.name, Option.isNone(w.token)]),
        [["default", true]]
      )
      assert.strictEqual(mock.state, mock.workspaces[0]!.state)
    })
  )
})
