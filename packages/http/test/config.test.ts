import { assert, describe, it } from "@effect/vitest"
import { Config, type ConfigError, ConfigProvider, Duration, Effect, Option, Redacted } from "effect"
import { IntercomConfig } from "../src/index.js"
import { token } from "./utils/fake.js"

/** Resolves through layerConfig with these variables as the environment. */
const fromEnv = (env: Record<string, string>, options?: IntercomConfig.ConfigOptions) =>
  IntercomConfig.IntercomConfig.pipe(
    Effect.provide(IntercomConfig.layerConfig(options)),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

const invalid = (error: ConfigError.ConfigError) => {
  assert.strictEqual(error._op, "InvalidData")
  return String(error)
}

describe("IntercomConfig.make", () => {
  it.effect("fills in the defaults", () =>
    Effect.gen(function* () {
      const config = yield* IntercomConfig.make({ accessToken: token })
      assert.strictEqual(config.baseUrl, "https://api.intercom.io")
      assert.strictEqual(config.version, IntercomConfig.apiVersion)
      assert.strictEqual(Duration.toMillis(config.timeout), 30_000)
      assert.deepStrictEqual(config.retry, IntercomConfig.defaultRetry)
      assert.strictEqual(config.rateLimit.maxConcurrency, 16)
      assert.strictEqual(Redacted.value(config.accessToken), token)
    })
  )

  it.effect("refuses what cannot work, naming the field and never the value", () =>
    Effect.gen(function* () {
      const fails = (options: Partial<IntercomConfig.Options>) =>
        Effect.map(Effect.flip(IntercomConfig.make({ accessToken: token, ...options })), invalid)
      assert.include(yield* fails({ accessToken: Redacted.make(`${token}\r\n`) }), "accessToken")
      assert.include(yield* fails({ accessToken: `\t${token}` }), "a tab at character 1")
      assert.include(yield* fails({ region: "mars" as IntercomConfig.Region }), "region")
      const url = yield* fails({ baseUrl: "api.intercom.io" })
      assert.include(url, "baseUrl")
      assert.notInclude(url, "api.intercom.io")
      assert.include(yield* fails({ baseUrl: "ftp://example.com" }), "http: or https:")
      assert.include(yield* fails({ baseUrl: "https://example.com/?x=1" }), "query")
      assert.include(yield* fails({ version: "2.10\n" }), "version")
      assert.include(yield* fails({ userAgentSuffix: "my app/1.0\n" }), "userAgentSuffix")
      // Spaces inside a user agent are fine.
      assert.isTrue(
        Option.isSome(
          (yield* IntercomConfig.make({ accessToken: token, userAgentSuffix: "my app/1.0" })).userAgentSuffix
        )
      )
    })
  )
})

describe("IntercomConfig.layerConfig", () => {
  it.effect("reads INTERCOM_ACCESS_TOKEN, INTERCOM_REGION and INTERCOM_BASE_URL by default", () =>
    Effect.gen(function* () {
      const eu = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: token, INTERCOM_REGION: "eu" })
      assert.strictEqual(eu.baseUrl, "https://api.eu.intercom.io")
      assert.strictEqual(Redacted.value(eu.accessToken), token)
      const local = yield* fromEnv({ INTERCOM_ACCESS_TOKEN: token, INTERCOM_BASE_URL: "http://127.0.0.1:9/" })
      assert.strictEqual(local.baseUrl, "http://127.0.0.1:9")
      const missing = yield* Effect.flip(fromEnv({}))
      assert.include(String(missing), "INTERCOM_ACCESS_TOKEN")
    })
  )

  it.effect("takes Config values of the caller's own, and plain values, field by field", () =>
    Effect.gen(function* () {
      const config = yield* fromEnv(
        { CRM_INTERCOM_TOKEN: token, INTERCOM_ACCESS_TOKEN: "not-this-one", CRM_TIMEOUT: "5 seconds" },
        {
          accessToken: Config.redacted("CRM_INTERCOM_TOKEN"),
          region: Config.succeed("au"),
          timeout: Config.duration("CRM_TIMEOUT"),
          retry: { maxRetries: 1 },
          userAgentSuffix: "crm-sync/2.0"
        }
      )
      assert.strictEqual(Redacted.value(config.accessToken), token)
      assert.strictEqual(config.baseUrl, "https://api.au.intercom.io")
      assert.strictEqual(Duration.toMillis(config.timeout), 5000)
      assert.strictEqual(config.retry.maxRetries, 1)
      assert.strictEqual(config.retry.baseDelay, IntercomConfig.defaultRetry.baseDelay)
      assert.deepStrictEqual(config.userAgentSuffix, Option.some("crm-sync/2.0"))
    })
  )

  it.effect("a field left out still falls back to its own variable", () =>
    Effect.gen(function* () {
      // The region is given; INTERCOM_BASE_URL (e.g. a mock in a dev shell) still wins over it, as in make.
      const config = yield* fromEnv(
        { MY_TOKEN: token, INTERCOM_BASE_URL: "http://127.0.0.1:9" },
        { accessToken: Config.redacted("MY_TOKEN"), region: Config.succeed("eu") }
      )
      assert.strictEqual(config.baseUrl, "http://127.0.0.1:9")
    })
  )

  it.effect("an invalid value read from the caller's Config fails naming the field", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(fromEnv({ MY_TOKEN: `${token} ` }, { accessToken: Config.redacted("MY_TOKEN") }))
      const text = invalid(error)
      assert.include(text, "accessToken")
      assert.include(text, "a space at character 33 of 33, at its end")
      assert.notInclude(text, token)
    })
  )
})
