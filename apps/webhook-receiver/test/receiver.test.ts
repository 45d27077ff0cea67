/**
 * The receiver end to end over real sockets: deliveries are posted to it with `fetch`, and its reactions go to the
 * stateful mock Intercom (`@intercom-effect/mock-server`), so what a test checks is the workspace after the fact: the
 * tag on the conversation, and how many requests reached the mock.
 */
import { HttpServer } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { MockIntercom } from "@intercom-effect/mock-server"
import { ConfigProvider, Context, Effect, Layer, Logger } from "effect"
import * as App from "../src/App.js"
import { Reactions, webhookPath } from "../src/Receiver.js"
import { conversation, delivery, notification, secretText, tokenText } from "./utils/fixtures.js"

/**
 * A small seeded workspace that accepts the test token only, so every request that reaches a route was
 * authenticated with it. Built per test: its state and counters start afresh.
 */
const mockLayer = (options: MockIntercom.Options = {}) =>
  MockIntercom.layer({ seed: 11, contacts: 20, companies: 3, conversations: 6, accessToken: tokenText, ...options })

/**
 * What the tests take from the seeded workspace: its conversation ids, a tag that no conversation carries yet (so
 * applying it is a visible change) and an admin to apply it as.
 */
const workspaceOf = (mock: MockIntercom.Service) => {
  const conversations = mock.state.conversations.values()
  const tagId = [...mock.state.tags.keys()].find((id) => conversations.every((record) => !record.tags.has(id)))
  const adminId = mock.state.admins[0]?.id
  if (tagId === undefined || adminId === undefined || conversations.length < 4) {
    throw new Error("the seeded workspace is too small for these tests")
  }
  return { conversationIds: conversations.map((record) => record.id), tagId, adminId }
}

/** Every conversation's tag ids, to compare the workspace before and after. */
const tagsOf = (mock: MockIntercom.Service): Record<string, ReadonlyArray<string>> =>
  Object.fromEntries(mock.state.conversations.values().map((record) => [record.id, [...record.tags.keys()].sort()]))

/** The receiver as main.ts runs it, configured through the environment it would read, against `intercomUrl`. */
const startReceiver = (intercomUrl: string, env: Record<string, string>) =>
  Effect.gen(function* () {
    const logs: Array<string> = []
    const capture = Logger.make((entry) => void logs.push(Logger.logfmtLogger.log(entry)))
    const context = yield* Layer.build(
      App.layer.pipe(Layer.provide(Logger.replace(Logger.defaultLogger, capture)))
    ).pipe(
      Effect.withConfigProvider(
        ConfigProvider.fromMap(
          new Map(
            Object.entries({
              INTERCOM_ACCESS_TOKEN: tokenText,
              INTERCOM_BASE_URL: intercomUrl,
              INTERCOM_CLIENT_SECRET: secretText,
              RECEIVER_KEYWORD: "refund",
              PORT: "0",
              HOST: "127.0.0.1",
              ...env
            })
          )
        )
      )
    )
    const address = Context.get(context, HttpServer.HttpServer).address
    const url = `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}${webhookPath}`
    const reactions = Context.get(context, Reactions)
    /** Posts a delivery, then waits until the reactions it started are done. */
    const send = (value: { readonly body: string; readonly headers: Record<string, string> }) =>
      Effect.gen(function* () {
        const response = yield* Effect.promise(() =>
          fetch(url, { method: "POST", body: value.body, headers: value.headers })
        )
        const body = yield* Effect.promise(() => response.text())
        yield* reactions.idle
        return { status: response.status, body }
      })
    return { send, logs, reactions, url }
  })

/**
 * The mock, then the receiver pointed at it, both in the test's scope. The receiver is closed first (scopes close in
 * reverse), so reactions still in flight drain against a live mock.
 */
const setup = (options: { readonly env?: Record<string, string>; readonly mock?: MockIntercom.Options } = {}) =>
  Effect.gen(function* () {
    const mock = Context.get(yield* Layer.build(mockLayer(options.mock)), MockIntercom.MockIntercom)
    const workspace = workspaceOf(mock)
    const receiver = yield* startReceiver(mock.url, {
      RECEIVER_TAG_ID: workspace.tagId,
      RECEIVER_ADMIN_ID: workspace.adminId,
      ...options.env
    })
    return { mock, workspace, receiver }
  })

/** A user's reply `html` in conversation `id`. */
const userReply = (id: string, html: string, createdAt?: number) =>
  notification("conversation.user.replied", conversation(id, "<p>Hi</p>", [["user", html]]), createdAt)

describe("webhook receiver", () => {
  it.scopedLive("tags a conversation once when a user's reply mentions the keyword", () =>
    Effect.gen(function* () {
      const { mock, receiver, workspace } = yield* setup()
      const [target] = workspace.conversationIds
      const before = tagsOf(mock)
      const reply = notification(
        "conversation.user.replied",
        conversation(target!, "<p>Hi</p>", [
          ["admin", "<p>How can we help?</p>"],
          ["user", "<p>I would like a <b>Refund</b>, please.</p>"]
        ])
      )
      const answer = yield* receiver.send(delivery(reply))
      assert.strictEqual(answer.status, 200)
      assert.deepStrictEqual(JSON.parse(answer.body), { outcome: "accepted" })

      const applied = mock.state.conversations.get(target!)?.tags.get(workspace.tagId)
      assert.strictEqual(applied?.appliedBy, workspace.adminId)
      // Only that conversation changed, and only by the one tag.
      assert.deepStrictEqual(tagsOf(mock), { ...before, [target!]: [...before[target!]!, workspace.tagId].sort() })
      // The mock takes the test token only and serves 2.10 only: a 200 means both were sent.
      const counters = yield* mock.counters.snapshot
      assert.strictEqual(counters.requests, 1)
      assert.deepStrictEqual(counters.responses, { 200: 1 })
      assert.strictEqual(counters.missingVersion, 0)
      assert.isTrue(
        receiver.logs.some((line) => line.includes(`tagged conversation ${target} with tag ${workspace.tagId}`)),
        receiver.logs.join("\n")
      )
    })
  )

  it.scopedLive("tags a new conversation whose opening message mentions the keyword", () =>
    Effect.gen(function* () {
      const { mock, receiver, workspace } = yield* setup()
      const target = workspace.conversationIds[1]!
      const created = notification("conversation.user.created", conversation(target, "<p>REFUND my order #12</p>"))
      assert.strictEqual((yield* receiver.send(delivery(created))).status, 200)
      const tagged = Object.entries(tagsOf(mock))
        .filter(([, tags]) => tags.includes(workspace.tagId))
        .map(([id]) => id)
      assert.deepStrictEqual(tagged, [target])
      assert.strictEqual((yield* mock.counters.snapshot).requests, 1)
    })
  )

  it.scopedLive("changes nothing at Intercom when the keyword is missing, said by an admin, or only in markup", () =>
    Effect.gen(function* () {
      const { mock, receiver, workspace } = yield* setup()
      const [first, second, third, fourth] = workspace.conversationIds
      const before = tagsOf(mock)
      const cases = [
        userReply(first!, "<p>Thanks!</p>"),
        notification(
          "conversation.user.replied",
          conversation(second!, "<p>Hi</p>", [
            ["admin", "<p>Do you want a refund?</p>"],
            ["user", "<p>No, an exchange</p>"]
          ])
        ),
        notification(
          "conversation.user.replied",
          conversation(third!, "<p>Hi</p>", [["user", '<p>See <a href="https://shop.test/refund">this</a></p>']])
        ),
        // The keyword in a topic the receiver does not react to.
        notification("conversation.admin.replied", conversation(fourth!, "<p>refund</p>", [["admin", "refund"]])),
        notification("contact.lead.created", {
          type: "contact",
          id: "l-1",
          workspace_id: "wkspc9",
          role: "lead",
          created_at: 1,
          updated_at: 1
        }),
        notification("ping", { type: "ping", message: "refund" })
      ]
      for (const value of cases) {
        const answer = yield* receiver.send(delivery(value))
        assert.strictEqual(answer.status, 200, value.topic)
      }
      assert.deepStrictEqual(tagsOf(mock), before)
      assert.strictEqual((yield* mock.counters.snapshot).requests, 0)
    })
  )

  it.scopedLive("handles a replayed notification once: one tag request reaches Intercom", () =>
    Effect.gen(function* () {
      const { mock, receiver, workspace } = yield* setup()
      const target = workspace.conversationIds[2]!
      const reply = userReply(target, "<p>refund please</p>")
      const first = yield* receiver.send(delivery(reply))
      // Intercom's redelivery: same id, one more attempt.
      const second = yield* receiver.send(delivery({ ...reply, delivery_attempts: 2 }))
      // A captured delivery sent again byte for byte.
      const third = yield* receiver.send(delivery(reply))
      assert.deepStrictEqual(
        [first, second, third].map((answer) => [answer.status, JSON.parse(answer.body).outcome]),
        [
          [200, "accepted"],
          [200, "duplicate"],
          [200, "duplicate"]
        ]
      )
      assert.isTrue(mock.state.conversations.get(target)?.tags.has(workspace.tagId))
      // Attaching a tag twice leaves the same state at the mock, so only the counters tell one request from two.
      const counters = yield* mock.counters.snapshot
      assert.strictEqual(counters.requests, 1)
      assert.deepStrictEqual(counters.responses, { 200: 1 })
    })
  )

  it.scopedLive("refuses forged, altered and unsigned deliveries with 401 and their error, and calls nothing", () =>
    Effect.gen(function* () {
      const { mock, receiver, workspace } = yield* setup()
      const [target, other] = workspace.conversationIds
      const before = tagsOf(mock)
      const reply = userReply(target!, "<p>refund</p>")
      const forged = delivery(reply, "an-attacker-guess")
      const genuine = delivery(reply)
      // Pointed at another conversation that exists, keeping the signature of the original.
      const altered = { ...genuine, body: genuine.body.replace(`"id":"${target}"`, `"id":"${other}"`) }
      assert.notStrictEqual(altered.body, genuine.body)
      const unsigned = { ...genuine, headers: { "content-type": "application/json" } }
      for (const [value, error] of [
        [forged, "InvalidSignature"],
        [altered, "InvalidSignature"],
        [unsigned, "MissingSignature"]
      ] as const) {
        const answer = yield* receiver.send(value)
        assert.strictEqual(answer.status, 401)
        assert.deepStrictEqual(JSON.parse(answer.body), { error })
      }
      // The refusals are logged with the error's tag, in the order they came.
      assert.deepStrictEqual(
        receiver.logs.flatMap((line) => /intercom\.webhook\.error=(\w+)/.exec(line)?.[1] ?? []),
        ["InvalidSignature", "InvalidSignature", "MissingSignature"]
      )
      assert.deepStrictEqual(tagsOf(mock), before)
      assert.strictEqual((yield* mock.counters.snapshot).requests, 0)
      // A refused delivery does not use up its id: the genuine one still goes through, to its own conversation.
      assert.strictEqual((yield* receiver.send(genuine)).status, 200)
      assert.deepStrictEqual(tagsOf(mock), { ...before, [target!]: [...before[target!]!, workspace.tagId].sort() })
      assert.strictEqual((yield* mock.counters.snapshot).requests, 1)
    })
  )

  it.scopedLive("refuses a signed delivery over the body limit with 413 BodyTooLarge, and calls nothing", () =>
    Effect.gen(function* () {
      const { mock, receiver, workspace } = yield* setup()
      const before = tagsOf(mock)
      // Signed with the right secret and mentioning the keyword: only its size stands in the way.
      const huge = userReply(workspace.conversationIds[0]!, `<p>refund ${"x".repeat(1024 * 1024)}</p>`)
      const answer = yield* receiver.send(delivery(huge))
      assert.deepStrictEqual([answer.status, JSON.parse(answer.body)], [413, { error: "BodyTooLarge" }])
      assert.deepStrictEqual(tagsOf(mock), before)
      assert.strictEqual((yield* mock.counters.snapshot).requests, 0)
    })
  )

  it.scopedLive("does not act on a notification older than the replay window", () =>
    Effect.gen(function* () {
      const { mock, receiver, workspace } = yield* setup({ env: { RECEIVER_REPLAY_WINDOW: "1 hour" } })
      const before = tagsOf(mock)
      const old = Math.floor(Date.now() / 1000) - 2 * 3600
      const reply = userReply(workspace.conversationIds[3]!, "<p>refund</p>", old)
      const answer = yield* receiver.send(delivery(reply))
      assert.deepStrictEqual([answer.status, JSON.parse(answer.body)], [200, { outcome: "stale" }])
      assert.deepStrictEqual(tagsOf(mock), before)
      assert.strictEqual((yield* mock.counters.snapshot).requests, 0)
    })
  )

  it.scopedLive("answers Intercom before the tag call completes, and survives that call failing", () =>
    Effect.gen(function* () {
      // Intercom slow to answer, and then refusing the call: the tag the receiver is set up with does not exist.
      const { mock, receiver, workspace } = yield* setup({
        mock: { faults: { latency: "1500 millis" } },
        env: { RECEIVER_TAG_ID: "404404" }
      })
      assert.isFalse(mock.state.tags.has("404404"))
      const before = tagsOf(mock)
      const { body, headers } = delivery(userReply(workspace.conversationIds[0]!, "<p>refund</p>"))
      const response = yield* Effect.promise(() => fetch(receiver.url, { method: "POST", body, headers }))
      assert.strictEqual(response.status, 200)
      // Answered before the tag call was: the mock, which holds that call 1.5 s, has answered nothing yet. (An order
      // of events, not a time limit: a loaded machine makes both later, not the answer later than the call.)
      assert.deepStrictEqual((yield* mock.counters.snapshot).responses, {})
      yield* receiver.reactions.idle
      const counters = yield* mock.counters.snapshot
      assert.deepStrictEqual(counters.responses, { 404: 1 })
      assert.strictEqual(counters.faults.delayed, 1)
      assert.deepStrictEqual(tagsOf(mock), before)
      assert.isTrue(
        receiver.logs.some((line) => line.includes("level=ERROR") && line.includes("reaction failed")),
        receiver.logs.join("\n")
      )
      for (const line of receiver.logs) {
        assert.notInclude(line, tokenText)
        assert.notInclude(line, secretText)
      }
    })
  )
})
