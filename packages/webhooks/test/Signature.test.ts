import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Redacted } from "effect"
import { createHmac } from "node:crypto"
import { Signature } from "../src/index.js"
import { secret } from "./utils/fixtures.js"

const tagOf = (result: Either.Either<void, { readonly _tag: string }>) =>
  Either.isLeft(result) ? result.left._tag : "Right"

const check = (body: Uint8Array | string, header: string | null | undefined, key = secret) =>
  Effect.runSync(Effect.either(Signature.verify(key, body, header)))

describe("Signature", () => {
  it("signs as HMAC-SHA1 in hex (RFC 2202, test case 2)", () => {
    assert.strictEqual(
      Signature.sign(Redacted.make("Jefe"), "what do ya want for nothing?"),
      "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    )
  })

  it("accepts its own signature, over bytes or the same text, with upper-case hex and surrounding spaces", () => {
    const body = '{"type":"notification_event","note":"naïve ✓"}'
    const header = Signature.sign(secret, body)
    assert.strictEqual(tagOf(check(body, header)), "Right")
    assert.strictEqual(tagOf(check(Buffer.from(body, "utf8"), header)), "Right")
    assert.strictEqual(tagOf(check(body, `  SHA1=${header.slice(5).toUpperCase()} `)), "Right")
    assert.isTrue(Signature.isValid(secret, body, header))
  })

  it("refuses each bad header with its own error, before the body matters", () => {
    const body = '{"type":"notification_event"}'
    const sha256 = `sha256=${createHmac("sha256", Redacted.value(secret)).update(body).digest("hex")}`
    const cases: ReadonlyArray<readonly [string | null | undefined, string]> = [
      [undefined, "MissingSignature"],
      [null, "MissingSignature"],
      ["", "MissingSignature"],
      ["   ", "MissingSignature"],
      [sha256, "UnsupportedAlgorithm"],
      ["md5=0123", "UnsupportedAlgorithm"],
      ["deadbeef", "MalformedSignature"],
      ["sha1=", "MalformedSignature"],
      ["sha1=xyz", "MalformedSignature"],
      [`sha1=${"a".repeat(39)}`, "MalformedSignature"],
      [`sha1=${"a".repeat(41)}`, "MalformedSignature"],
      [`sha1=${"g".repeat(40)}`, "MalformedSignature"],
      [`sha1=${"0".repeat(40)}`, "InvalidSignature"]
    ]
    for (const [header, expected] of cases) {
      assert.strictEqual(tagOf(check(body, header)), expected, `header ${JSON.stringify(header)}`)
      assert.isFalse(Signature.isValid(secret, body, header))
    }
  })

  it("names the algorithm it refuses, and does not echo an unprintable one", () => {
    const named = check("{}", "SHA256=abc")
    assert.isTrue(
      Either.isLeft(named) && named.left._tag === "UnsupportedAlgorithm" && named.left.algorithm === "sha256"
    )
    const noise = check("{}", `${"x".repeat(200)}=abc`)
    assert.isTrue(
      Either.isLeft(noise) && noise.left._tag === "UnsupportedAlgorithm" && noise.left.algorithm === "(unprintable)"
    )
  })

  it("refuses a signature made with another secret, and one over a re-serialised body", () => {
    const body = '{"type": "notification_event", "id": "notif_1"}'
    const forged = Signature.sign(Redacted.make("somebody-else"), body)
    assert.strictEqual(tagOf(check(body, forged)), "InvalidSignature")
    const reserialised = JSON.stringify(JSON.parse(body))
    assert.strictEqual(tagOf(check(reserialised, Signature.sign(secret, body))), "InvalidSignature")
  })

  it.prop(
    "any body under any secret: its own signature verifies, and no single-byte change does",
    {
      body: FastCheck.uint8Array({ minLength: 1, maxLength: 2048 }),
      key: FastCheck.string({ minLength: 1, maxLength: 64 }),
      at: FastCheck.nat(),
      delta: FastCheck.integer({ min: 1, max: 255 })
    },
    ({ at, body, delta, key }) => {
      const secretKey = Redacted.make(key)
      const header = Signature.sign(secretKey, body)
      assert.strictEqual(tagOf(check(body, header, secretKey)), "Right")
      const altered = Uint8Array.from(body)
      const index = at % altered.length
      altered[index] = (altered[index]! + delta) & 0xff
      assert.strictEqual(tagOf(check(altered, header, secretKey)), "InvalidSignature")
    },
    { fastCheck: { numRuns: 500 } }
  )

  it.prop(
    "a signature under one secret never verifies under another",
    {
      body: FastCheck.uint8Array({ maxLength: 512 }),
      key: FastCheck.string({ minLength: 1, maxLength: 32 }),
      other: FastCheck.string({ minLength: 1, maxLength: 32 })
    },
    ({ body, key, other }) => {
      FastCheck.pre(key !== other)
      const header = Signature.sign(Redacted.make(other), body)
      assert.strictEqual(tagOf(check(body, header, Redacted.make(key))), "InvalidSignature")
    },
    { fastCheck: { numRuns: 200 } }
  )
})
