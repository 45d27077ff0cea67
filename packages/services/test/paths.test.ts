/**
 * Path safety over a real socket: a hostile id is either encoded so that the server sees exactly the path intended
 * (the id comes back whole from one segment), or refused with `InvalidRequest` before anything is sent.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as TestServer from "../../http/test/utils/TestServer.js"
import { withServices } from "./utils/services.js"

const contact = { type: "contact", id: "c1", workspace_id: "w", role: "user", created_at: 1, updated_at: 1 }

describe("path parameters", () => {
  const encoded = ["a/b", "x?y=1", "#", "%2F", "a b", "ünï", "..a", "a..", "...", "x".repeat(10_000)]
  for (const id of encoded) {
    it.scopedLive(
      `${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}… (${id.length} chars)` : id)} reaches the server as one segment`,
      () =>
        Effect.gen(function* () {
          const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, contact))
          yield* withServices(server.url, (s) => s.Contacts.get(id))
          yield* withServices(server.url, (s) => s.Contacts.detachTag("c1", id))
          assert.strictEqual(server.received.length, 2)
          const [get, detach] = server.received
          const segments = (url: string) => new URL(url, "http://x").pathname.split("/").slice(1)
          assert.deepStrictEqual(segments(get!.url).map(decodeURIComponent), ["contacts", id])
          assert.deepStrictEqual(segments(detach!.url).map(decodeURIComponent), ["contacts", "c1", "tags", id])
          assert.strictEqual(new URL(get!.url, "http://x").search, "")
        })
    )
  }

  for (const id of ["", ".", ".."]) {
    it.scopedLive(`${JSON.stringify(id)} is refused before sending`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, contact))
        const error = yield* withServices(server.url, (s) => s.Contacts.detachTag("c1", id)).pipe(Effect.flip)
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.strictEqual(error.path, "/contacts/{contact_id}/tags/{id}")
        assert.include(error.message, "path parameter id")
        assert.strictEqual(server.received.length, 0)
      })
    )
  }
})
