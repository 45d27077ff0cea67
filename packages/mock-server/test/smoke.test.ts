import { assert, describe, it } from "@effect/vitest"
import { Admins, Contacts } from "@intercom-effect/services"
import { Effect, Stream } from "effect"
import { MockIntercom } from "../src/index.js"
import { mock, withServices } from "./utils/mock.js"

describe("smoke", () => {
  it.scopedLive("me and list", () =>
    Effect.gen(function* () {
      const me = yield* withServices(Effect.flatMap(Admins.Admins, (a) => a.me()))
      assert.strictEqual(me.type, "admin")
      const n = yield* withServices(
        Effect.flatMap(Contacts.Contacts, (c) => Stream.runCount(c.list({ per_page: 30 }).items))
      )
      assert.strictEqual(n, 100)
      const m = yield* MockIntercom.MockIntercom
      console.log(yield* m.counters.snapshot)
    }).pipe(Effect.provide(mock()))
  )
})
