import { assert, describe, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Either, Exit, Layer, Redacted, Tracer } from "effect"
import { inspect } from "node:util"
import { Signature, WebhookError, Webhooks } from "../src/index.js"
import { conversation, notification, secret, secretText, signed } from "./utils/fixtures.js"
import { post, receiver } from "./utils/server.js"

/** Every printed form of a value a log line, a crash report or an API answer could carry. */
const printed = (error: unknown): ReadonlyArray<string> => [
  error instanceof Error ? error.message : "",
  String(error),
  JSON.stringify(error),
  inspect(error, { depth: 10 }),
  Cause.pretty(Cause.fail(error)),
  Cause.pretty(Cause.die(error))
]

const assertClean = (what: string, texts: ReadonlyArray<string>, forbidden: ReadonlyArray<string>) => {
  for (const text of texts) {
    for (const value of forbidden) assert.notInclude(text, value, `${what} shows a secret value`)
  }
}

/** Names, attributes, events and failures of every span, as text. */
const recordSpans = (inner: Tracer.Tracer, out: Array<string>): Tracer.Tracer =>
  Tracer.make({
    context: (f, fiber) => inner.context(f, fiber),
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = inner.span(name, parent, context, links, startTime, kind, options)
      out.push(name, JSON.stringify(options?.attributes ?? {}))
      const { attribute, end, event } = span
      span.attribute = (key, value) => (out.push(`${key}=${String(value)}`), attribute.call(span, key, value))
      span.event = (label, at, attributes) => (
        out.push(label, JSON.stringify(attributes)),
        event.call(span, label, at, attributes)
      )
      span.end = (at, exit) => (
        out.push(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "ok"),
        end.call(span, at, exit)
      )
      return span
    }
  })

describe("the client secret", () => {
  it.scopedLive("appears in no error, log line or span of a receiver refusing and accepting deliveries", () =>
    Effect.gen(function* () {
      const spans: Array<string> = []
      const server = yield* receiver({ maxBodyBytes: 4096 }, recordSpans(yield* Effect.tracer, spans))
      const good = signed(notification("conversation.user.replied", conversation("900", { userReply: "hi" })))
      const expected = good.header.slice("sha1=".length)
      const notJson = Buffer.from("not json at all")
      const deliveries: ReadonlyArray<readonly [Uint8Array, Record<string, string>]> = [
        [good.body, { "x-hub-signature": good.header }],
        [good.body, {}],
        [good.body, { "x-hub-signature": "sha256=abcdef" }],
        [good.body, { "x-hub-signature": "sha1=nothex" }],
        [Buffer.concat([good.body, Buffer.from(" ")]), { "x-hub-signature": good.header }],
        [notJson, { "x-hub-signature": Signature.sign(secret, notJson) }],
        [Buffer.alloc(8192, 0x20), { "x-hub-signature": good.header }]
      ]
      for (const [body, headers] of deliveries) {
        yield* post(`${server.url}/checked`, body, headers)
        yield* post(`${server.url}/hook`, body, headers)
      }
      const errors = server.checked.flatMap((result) => (Either.isLeft(result) ? [result.left] : []))
      assert.deepStrictEqual([...new Set(errors.map((error) => error._tag))].sort(), [
        "BodyTooLarge",
        "InvalidNotification",
        "InvalidSignature",
        "MalformedSignature",
        "MissingSignature",
        "UnsupportedAlgorithm"
      ])
      // The secret, and the digest computed with it (the HMAC of a body is as good as the secret for that body).
      const forbidden = [secretText, expected]
      for (const error of errors) assertClean(error._tag, printed(error), [secretText])
      assert.isAbove(server.logs.length, 0)
      assertClean("the logs", server.logs, [secretText])
      assert.isTrue(spans.includes("Webhooks.fromRequest"))
      assertClean("the spans", spans, [secretText])
      // Only the one delivery that carried it shows the digest (as the sender's header): no error repeats it.
      for (const error of errors) assertClean(error._tag, printed(error), forbidden)
    })
  )

  it.effect("appears nowhere in the service, nor in the error of a secret refused by the layer", () =>
    Effect.gen(function* () {
      const service = yield* Webhooks.Webhooks.pipe(Effect.provide(Webhooks.layer({ secret })))
      assertClean(
        "the service",
        [String(service), JSON.stringify(service), inspect(service, { depth: 10 })],
        [secretText]
      )
      for (const bad of [`${secretText}\n`, ` ${secretText}`]) {
        const error = yield* Effect.flip(Layer.build(Webhooks.layer({ secret: bad })).pipe(Effect.scoped))
        assert.match(String(error), /whitespace/)
        assertClean("a ConfigError", printed(error), [secretText])
        const fromEnv = yield* Effect.flip(
          Layer.build(Webhooks.layerConfig()).pipe(
            Effect.scoped,
            Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["INTERCOM_CLIENT_SECRET", bad]])))
          )
        )
        assert.match(String(fromEnv), /INTERCOM_CLIENT_SECRET/)
        assertClean("a ConfigError from the environment", printed(fromEnv), [secretText])
      }
    })
  )

  it("never reaches a signature error built by verify", () => {
    const body = '{"type":"notification_event"}'
    for (const header of [undefined, "sha256=00", "sha1=0", `sha1=${"0".repeat(40)}`]) {
      const result = Effect.runSync(Effect.either(Signature.verify(secret, body, header)))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.isTrue(WebhookError.isWebhookError(result.left))
        assertClean(result.left._tag, printed(result.left), [secretText, Signature.sign(secret, body).slice(5)])
      }
    }
    assertClean("a Redacted secret", [String(secret), JSON.stringify({ secret }), inspect(secret)], [secretText])
    assert.strictEqual(Redacted.value(secret), secretText)
  })
})
