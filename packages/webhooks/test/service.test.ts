import { HttpServerRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer, Redacted } from "effect"
import { createRequire } from "node:module"
import { Signature, Webhooks } from "../src/index.js"
import { conversation, notification, secret, secretText, signed } from "./utils/fixtures.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

/** A request as a fetch-style runtime (Bun, Deno, a worker) hands it over. */
const webRequest = (body: BodyInit, headers: Record<string, string>) =>
  HttpServerRequest.fromWeb(
    new Request("http://127.0.0.1/hook", { method: "POST", body, headers, duplex: "half" } as RequestInit)
  )

describe("Webhooks service", () => {
  it.effect("verifyAndDecode checks the signature with the configured secret, then decodes", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const { body, header } = signed(notification("conversation.admin.noted", conversation("1")))
      const decoded = yield* webhooks.verifyAndDecode(body, header)
      assert.strictEqual(decoded._tag, "conversation.admin.noted")
      const forged = yield* Effect.flip(webhooks.verifyAndDecode(body, Signature.sign(Redacted.make("other"), body)))
      assert.strictEqual(forged._tag, "InvalidSignature")
      // Not JSON, but the signature is checked first and fails first.
      const unsigned = yield* Effect.flip(webhooks.verifyAndDecode("garbage", undefined))
      assert.strictEqual(unsigned._tag, "MissingSignature")
      assert.strictEqual(webhooks.maxBodyBytes, Webhooks.defaultMaxBodyBytes)
    }).pipe(Effect.provide(Webhooks.layer({ secret })))
  )

  it.effect("reads the request of any platform: a web Request works as a Node one does", () =>
    Effect.gen(function* () {
      const { body, header } = signed(notification("ping", { type: "ping" }))
      const ok = yield* Webhooks.fromRequest.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, webRequest(body, { "x-hub-signature": header }))
      )
      assert.strictEqual(ok._tag, "ping")
      // A body that fails half-way (the sender went away) is UnreadableBody, not a signature failure.
      const broken = new ReadableStream<Uint8Array>({
        start: (controller) => {
          controller.enqueue(body.subarray(0, 10))
          controller.error(new Error("socket hang up"))
        }
      })
      const error = yield* Effect.flip(
        Webhooks.fromRequest.pipe(
          Effect.provideService(HttpServerRequest.HttpServerRequest, webRequest(broken, { "x-hub-signature": header }))
        )
      )
      assert.strictEqual(error._tag, "UnreadableBody")
      assert.strictEqual(Webhooks.errorResponse(error).status, 400)
    }).pipe(Effect.provide(Webhooks.layer({ secret })))
  )

  it.effect("layerConfig reads INTERCOM_CLIENT_SECRET, or the Config it is given", () =>
    Effect.gen(function* () {
      const { body, header } = signed(notification("ping", { type: "ping" }))
      const fromEnv = yield* Webhooks.Webhooks.pipe(
        Effect.provide(Webhooks.layerConfig()),
        withEnv({ INTERCOM_CLIENT_SECRET: secretText })
      )
      yield* fromEnv.verify(body, header)
      const fromOwn = yield* Webhooks.Webhooks.pipe(
        Effect.provide(Webhooks.layerConfig({ secret: Config.redacted("APP_SECRET"), maxBodyBytes: 2048 })),
        withEnv({ APP_SECRET: secretText })
      )
      yield* fromOwn.verify(body, header)
      assert.strictEqual(fromOwn.maxBodyBytes, 2048)
    })
  )

  it.effect("refuses a missing, empty or padded secret and a limit that is not a positive whole number", () =>
    Effect.gen(function* () {
      const failure = <E>(layer: Layer.Layer<Webhooks.Webhooks, E>) =>
        Effect.flip(Effect.scoped(Layer.build(layer))).pipe(Effect.map(String))
      assert.match(yield* failure(Webhooks.layerConfig()).pipe(withEnv({})), /INTERCOM_CLIENT_SECRET/)
      assert.match(yield* failure(Webhooks.layer({ secret: "" })), /secret.*empty/)
      assert.match(yield* failure(Webhooks.layer({ secret: "abc\n" })), /trailing newline/)
      assert.match(yield* failure(Webhooks.layer({ secret, maxBodyBytes: 0 })), /maxBodyBytes/)
      assert.match(yield* failure(Webhooks.layer({ secret, maxBodyBytes: 1.5 })), /maxBodyBytes/)
    })
  )
})

it("exposes every public module under its own path and keeps internal/ unreachable", () => {
  const resolve = createRequire(import.meta.url).resolve
  for (const module of ["Webhooks", "Signature", "Notification", "WebhookError"]) {
    assert.match(resolve(`@intercom-effect/webhooks/${module}`), new RegExp(`/src/${module}\\.ts$`))
  }
  assert.match(resolve("@intercom-effect/webhooks"), /\/src\/index\.ts$/)
  assert.throws(() => resolve("@intercom-effect/webhooks/internal/signature"), /not (defined by|exported)/i)
})
