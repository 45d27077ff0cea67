import { HttpServer } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Layer, Logger } from "effect"
import * as App from "../src/App.js"
import { Reactions, webhookPath } from "../src/Receiver.js"
import { conversation, delivery, notification, secretText, tokenText } from "./utils/fixtures.js"
import * as Intercom from "./utils/intercom.js"

const tagId = "8001"
const adminId = "991"

/** The receiver as main.ts runs it, configured through the environment it would read, against the stand-in. */
const startReceiver = (intercomUrl: string, env: Record<string, string> = {}) =>
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
              RECEIVER_TAG_ID: tagId,
              RECEIVER_ADMIN_ID: adminId,
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

const tagCalls = (standIn: Intercom.StandIn) =>
  standIn.calls.filter((call) => call.method === "POST" && /^\/conversations\/[^/]+\/tags$/.test(call.url))

/** The stand-in for Intercom and the receiver pointed at it. */
const setup = (env: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const intercom = yield* Intercom.start
    const receiver = yield* startReceiver(intercom.url, env)
    return { intercom, receiver }
  })

/** A user's reply `html` in conversation `id`. */
const userReply = (id: string, html: string, createdAt?: number) =>
  notification("conversation.user.replied", conversation(id, "<p>Hi</p>", [["user", html]]), createdAt)

describe("webhook receiver", () => {
  it.scopedLive("tags a conversation once when a user's reply mentions the keyword", () =>
    Effect.gen(function* () {
      const { intercom, receiver } = yield* setup()
      const reply = notification(
        "conversation.user.replied",
        conversation("c-1001", "<p>Hi</p>", [
          ["admin", "<p>How can we help?</p>"],
          ["user", "<p>I would like a <b>Refund</b>, please.</p>"]
        ])
      )
      const answer = yield* receiver.send(delivery(reply))
      assert.strictEqual(answer.status, 200)
      assert.deepStrictEqual(JSON.parse(answer.body), { outcome: "accepted" })
      assert.strictEqual(intercom.calls.length, 1)
      const [call] = tagCalls(intercom)
      assert.strictEqual(call?.url, "/conversations/c-1001/tags")
      assert.deepStrictEqual(call?.body, { id: tagId, admin_id: adminId })
      assert.strictEqual(call?.authorization, `Bearer ${tokenText}`)
      assert.strictEqual(call?.version, "2.10")
      assert.isTrue(receiver.logs.some((line) => line.includes("tagged conversation c-1001 with tag 8001")))
    })
  )

  it.scopedLive("tags a new conversation whose opening message mentions the keyword", () =>
    Effect.gen(function* () {
      const { intercom, receiver } = yield* setup()
      const created = notification("conversation.user.created", conversation("c-2002", "<p>REFUND my order #12</p>"))
      assert.strictEqual((yield* receiver.send(delivery(created))).status, 200)
      assert.deepStrictEqual(
        tagCalls(intercom).map((call) => call.url),
        ["/conversations/c-2002/tags"]
      )
    })
  )

  it.scopedLive("makes no call when the keyword is missing, said by an admin, or only in markup", () =>
    Effect.gen(function* () {
      const { intercom, receiver } = yield* setup()
      const cases = [
        userReply("c-3001", "<p>Thanks!</p>"),
        notification(
          "conversation.user.replied",
          conversation("c-3002", "<p>Hi</p>", [
            ["admin", "<p>Do you want a refund?</p>"],
            ["user", "<p>No, an exchange</p>"]
          ])
        ),
        notification(
          "conversation.user.replied",
          conversation("c-3003", "<p>Hi</p>", [["user", '<p>See <a href="https://shop.test/refund">this</a></p>']])
        ),
        // The keyword in a topic the receiver does not react to.
        notification("conversation.admin.replied", conversation("c-3004", "<p>refund</p>", [["admin", "refund"]])),
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
      assert.deepStrictEqual(intercom.calls, [])
    })
  )

  it.scopedLive("handles the same notification delivered twice once: one tag call", () =>
    Effect.gen(function* () {
      const { intercom, receiver } = yield* setup()
      const reply = userReply("c-4004", "<p>refund please</p>")
      const first = yield* receiver.send(delivery(reply))
      // Intercom's redelivery: same id, one more attempt.
      const second = yield* receiver.send(delivery({ ...reply, delivery_attempts: 2 }))
      const third = yield* receiver.send(delivery(reply))
      assert.deepStrictEqual(
        [first, second, third].map((answer) => [answer.status, JSON.parse(answer.body).outcome]),
        [
          [200, "accepted"],
          [200, "duplicate"],
          [200, "duplicate"]
        ]
      )
      assert.strictEqual(tagCalls(intercom).length, 1)
    })
  )

  it.scopedLive("refuses forged, altered and unsigned deliveries with 401, and calls nothing", () =>
    Effect.gen(function* () {
      const { intercom, receiver } = yield* setup()
      const reply = userReply("c-5005", "<p>refund</p>")
      const forged = delivery(reply, "an-attacker-guess")
      const genuine = delivery(reply)
      const altered = { ...genuine, body: genuine.body.replace("c-5005", "c-5006") }
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
      assert.deepStrictEqual(intercom.calls, [])
      // A refused delivery does not use up its id: the genuine one still goes through.
      assert.strictEqual((yield* receiver.send(genuine)).status, 200)
      assert.strictEqual(tagCalls(intercom).length, 1)
    })
  )

  it.scopedLive("does not act on a notification older than the replay window", () =>
    Effect.gen(function* () {
      const { intercom, receiver } = yield* setup({ RECEIVER_REPLAY_WINDOW: "1 hour" })
      const old = Math.floor(Date.now() / 1000) - 2 * 3600
      const reply = userReply("c-6006", "<p>refund</p>", old)
      const answer = yield* receiver.send(delivery(reply))
      assert.deepStrictEqual([answer.status, JSON.parse(answer.body)], [200, { outcome: "stale" }])
      assert.deepStrictEqual(intercom.calls, [])
    })
  )

  it.scopedLive("answers Intercom before the tag call completes, and survives that call failing", () =>
    Effect.gen(function* () {
      const { intercom, receiver } = yield* setup()
      intercom.behaviour.delay = "1500 millis"
      intercom.behaviour.failWith = 500
      const reply = userReply("c-7007", "<p>refund</p>")
      const { body, headers } = delivery(reply)
      const started = Date.now()
      const response = yield* Effect.promise(() => fetch(`${receiver.url}`, { method: "POST", body, headers }))
      const answeredAfter = Date.now() - started
      assert.strictEqual(response.status, 200)
      assert.isBelow(answeredAfter, 1000)
      yield* receiver.reactions.idle
      assert.strictEqual(tagCalls(intercom).length, 1)
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
