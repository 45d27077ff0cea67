import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Redacted } from "effect"
import { createHmac } from "node:crypto"
import { Notification, Signature, Webhooks } from "../src/index.js"
import { contact, conversation, notification, secret, signed, ticket } from "./utils/fixtures.js"
import { post, type Receiver, receiver } from "./utils/server.js"

const signatureHeader = (header: string) => ({ "x-hub-signature": header })

const lastChecked = (checked: Receiver["checked"]) => {
  const last = checked.at(-1)
  if (last === undefined) return assert.fail("nothing reached the receiver")
  return last
}

describe("Webhooks over a socket", () => {
  it.scopedLive("accepts signed notifications and decodes each by its topic, an unknown topic kept raw", () =>
    Effect.gen(function* () {
      const server = yield* receiver()
      const deliveries = [
        notification("conversation.user.created", conversation("100", { opening: "My order is late" })),
        notification("conversation.user.replied", conversation("101", { userReply: "Any news?" })),
        notification("conversation.admin.replied", conversation("102")),
        notification("conversation.admin.assigned", conversation("103")),
        notification("conversation.admin.closed", { ...conversation("104"), state: "closed", open: false }),
        notification("contact.user.created", contact("c-200", "user")),
        notification("contact.lead.created", contact("c-201", "lead")),
        notification("ticket.state.updated", ticket("t-300")),
        notification("ping", { type: "ping", message: "hello from the test" }),
        notification("call.transcription_available", { type: "call", id: 77, transcript: ["hi", "bye"] })
      ]
      for (const delivery of deliveries) {
        const { body, header } = signed(delivery)
        const answer = yield* post(`${server.url}/checked`, body, signatureHeader(header))
        assert.strictEqual(answer.status, 200, delivery.topic)
        const result = lastChecked(server.checked)
        assert.isTrue(Either.isRight(result), delivery.topic)
        if (Either.isLeft(result)) continue
        assert.strictEqual(result.right.id, delivery.id)
        assert.strictEqual(result.right.topic, delivery.topic)
      }
      const decoded = server.checked.map((result) => Either.getOrThrow(result))
      assert.deepStrictEqual(
        decoded.map((n) => n._tag),
        [...deliveries.slice(0, -1).map((d) => d.topic), "UnknownTopic"]
      )
      const replied = decoded[1]!
      assert.isTrue(Notification.is(replied, "conversation.user.replied"))
      if (Notification.is(replied, "conversation.user.replied")) {
        assert.strictEqual(replied.data.item.conversation_parts?.conversation_parts?.[0]?.body, "<p>Any news?</p>")
        assert.strictEqual(replied.data.item.source?.author?.type, "user")
      }
      const closed = decoded[4]!
      assert.isTrue(Notification.is(closed, "conversation.admin.closed") && closed.data.item.state === "closed")
      const lead = decoded[6]!
      assert.isTrue(Notification.is(lead, "contact.lead.created") && lead.data.item.role === "lead")
      const unknown = decoded[9]!
      assert.strictEqual(unknown.topic, "call.transcription_available")
      assert.deepStrictEqual(unknown.data.item, { type: "call", id: 77, transcript: ["hi", "bye"] })
    })
  )

  it.scopedLive("the handler answers 200 and hands accepted notifications over, once each", () =>
    Effect.gen(function* () {
      const server = yield* receiver()
      const delivery = notification("conversation.user.replied", conversation("400", { userReply: "thanks" }))
      const { body, header } = signed(delivery)
      const answer = yield* post(`${server.url}/hook`, body, signatureHeader(header))
      assert.strictEqual(answer.status, 200)
      assert.deepStrictEqual(
        server.accepted.map((n) => n.id),
        [delivery.id]
      )
    })
  )

  it.scopedLive("refuses forged, altered, unsigned, sha256-signed and malformed deliveries with their errors", () =>
    Effect.gen(function* () {
      const server = yield* receiver()
      const { body, header } = signed(notification("conversation.user.replied", conversation("500")))
      const altered = Buffer.from(body)
      const at = altered.indexOf("500")
      altered[at] = altered[at]! + 1 // "500" becomes "600": one byte
      const sha256 = `sha256=${createHmac("sha256", Redacted.value(secret)).update(body).digest("hex")}`
      const cases: ReadonlyArray<readonly [string, Uint8Array, Record<string, string>, string]> = [
        [
          "forged",
          body,
          signatureHeader(Signature.sign(Redacted.make("not-the-app-secret"), body)),
          "InvalidSignature"
        ],
        ["altered", altered, signatureHeader(header), "InvalidSignature"],
        ["unsigned", body, {}, "MissingSignature"],
        ["empty header", body, signatureHeader(""), "MissingSignature"],
        ["sha256", body, signatureHeader(sha256), "UnsupportedAlgorithm"],
        ["no algorithm", body, signatureHeader(header.slice(5)), "MalformedSignature"],
        ["short digest", body, signatureHeader(header.slice(0, -1)), "MalformedSignature"],
        ["not hex", body, signatureHeader(`sha1=${"z".repeat(40)}`), "MalformedSignature"]
      ]
      for (const [name, payload, headers, tag] of cases) {
        const checked = yield* post(`${server.url}/checked`, payload, headers)
        assert.strictEqual(checked.status, 400, name)
        const result = lastChecked(server.checked)
        assert.isTrue(Either.isLeft(result) && result.left._tag === tag, `${name}: ${JSON.stringify(result)}`)
        const handled = yield* post(`${server.url}/hook`, payload, headers)
        assert.strictEqual(handled.status, 401, name)
        assert.deepStrictEqual(JSON.parse(handled.body), { error: tag })
      }
      assert.strictEqual(server.accepted.length, 0)
      // One warning per refusal by the handler, naming the error; the /checked route logs nothing itself.
      assert.deepStrictEqual(
        server.logs.map((line) => /intercom\.webhook\.error=(\w+)/.exec(line)?.[1]),
        cases.map(([, , , tag]) => tag)
      )
      assert.isTrue(server.logs.every((line) => line.includes("level=WARN")))
    })
  )

  it.scopedLive("refuses a body that verifies but is not a notification, 400", () =>
    Effect.gen(function* () {
      const server = yield* receiver()
      const cases = [
        [Buffer.from('{"hello":"world"}'), "NotANotification"],
        [Buffer.from("this is not json"), "NotJson"],
        [Buffer.from(JSON.stringify(notification("contact.user.created", { type: "contact" }))), "NotANotification"]
      ] as const
      for (const [body, reason] of cases) {
        const header = Signature.sign(secret, body)
        yield* post(`${server.url}/checked`, body, signatureHeader(header))
        const result = lastChecked(server.checked)
        assert.isTrue(
          Either.isLeft(result) && result.left._tag === "InvalidNotification" && result.left.reason === reason,
          JSON.stringify(result)
        )
        const handled = yield* post(`${server.url}/hook`, body, signatureHeader(header))
        assert.strictEqual(handled.status, 400)
        assert.deepStrictEqual(JSON.parse(handled.body), { error: "InvalidNotification" })
      }
      assert.strictEqual(server.accepted.length, 0)
    })
  )

  it.scopedLive("refuses an oversize body from its Content-Length, before reading or hashing it, 413", () =>
    Effect.gen(function* () {
      const server = yield* receiver()
      // One byte over the default limit of 1 MiB, correctly signed: the size alone refuses it.
      const padded = notification("ping", { type: "ping", message: "x".repeat(Webhooks.defaultMaxBodyBytes) })
      const { body, header } = signed(padded)
      assert.isAbove(body.byteLength, Webhooks.defaultMaxBodyBytes)
      yield* post(`${server.url}/checked`, body, signatureHeader(header))
      const result = lastChecked(server.checked)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "BodyTooLarge", JSON.stringify(result))
      if (Either.isLeft(result) && result.left._tag === "BodyTooLarge") {
        assert.strictEqual(result.left.maxBytes, Webhooks.defaultMaxBodyBytes)
        assert.strictEqual(result.left.receivedBytes, body.byteLength)
      }
      const handled = yield* post(`${server.url}/hook`, body, signatureHeader(header))
      assert.strictEqual(handled.status, 413)
      assert.deepStrictEqual(JSON.parse(handled.body), { error: "BodyTooLarge" })
    })
  )

  it.scopedLive("stops reading a body sent without a length as soon as it passes a configured limit", () =>
    Effect.gen(function* () {
      const maxBodyBytes = 64 * 1024
      const server = yield* receiver({ maxBodyBytes })
      const small = signed(notification("ping", { type: "ping", message: "fits" }))
      assert.strictEqual(
        (yield* post(`${server.url}/checked`, small.body, signatureHeader(small.header), { chunked: true })).status,
        200
      )
      const { body, header } = signed(notification("ping", { type: "ping", message: "y".repeat(4 * maxBodyBytes) }))
      // The server may answer 413 or cut the connection: it stops reading either way.
      yield* post(`${server.url}/checked`, body, signatureHeader(header), { chunked: true })
      const result = lastChecked(server.checked)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "BodyTooLarge", JSON.stringify(result))
      if (Either.isLeft(result) && result.left._tag === "BodyTooLarge") {
        assert.strictEqual(result.left.maxBytes, maxBodyBytes)
        assert.isAbove(result.left.receivedBytes, maxBodyBytes)
        assert.isBelow(result.left.receivedBytes, body.byteLength)
      }
    })
  )

  it.scopedLive("checks the header before the body: an unsigned oversize request is refused for its signature", () =>
    Effect.gen(function* () {
      const server = yield* receiver({ maxBodyBytes: 1024 })
      yield* post(`${server.url}/checked`, Buffer.alloc(8 * 1024, 0x20), {})
      const result = lastChecked(server.checked)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "MissingSignature", JSON.stringify(result))
      yield* post(`${server.url}/checked`, Buffer.alloc(8 * 1024, 0x20), signatureHeader("sha256=00"))
      const second = lastChecked(server.checked)
      assert.isTrue(Either.isLeft(second) && second.left._tag === "UnsupportedAlgorithm", JSON.stringify(second))
    })
  )
})
