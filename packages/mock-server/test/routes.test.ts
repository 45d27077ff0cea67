/**
 * The mock's routes are checked against the one operation table of @intercom-effect/schemas: a route that is no
 * operation of the API (a typo in a path, a wrong method) fails here, so the mock cannot drift from what the SDK sends.
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { router } from "../src/Server.js"
import { drift, operationOf } from "../src/internal/operations.js"

const ok = HttpServerResponse.empty()

describe("routes against the operation table", () => {
  it("every route of the mock is an operation of the table", () => {
    assert.deepStrictEqual(drift(router), [])
    // Not vacuous: the mock serves dozens of the table's operations.
    assert.isAtLeast(router.routes.length, 50)
  })

  it("names the operation a route serves, whatever its parameters are called", () => {
    assert.strictEqual(operationOf("GET", "/contacts/:id"), "ShowContact")
    assert.strictEqual(operationOf("DELETE", "/contacts/:id/tags/:tagId"), "detachTagFromContact")
    assert.strictEqual(operationOf("POST", "/export/content/data"), "createDataExport")
  })

  it("a drifted route fails the check: a wrong path, a wrong method, a route for every method", () => {
    const drifted = router.pipe(
      HttpRouter.get("/contacts/:id/notez", ok),
      HttpRouter.patch("/contacts/:id", ok),
      HttpRouter.all("/tags", ok)
    )
    assert.deepStrictEqual(drift(drifted), [
      "GET /contacts/:id/notez: no operation of the table has this method and path",
      "PATCH /contacts/:id: no operation of the table has this method and path",
      "* /tags: a route for every method is no operation of the table"
    ])
  })
})
