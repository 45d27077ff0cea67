/**
 * Data attributes: the workspace's list, by model, with archived ones on request.
 *
 * @since 0.2.0
 */
import { HttpRouter } from "@effect/platform"
import { DataAttributeList } from "@intercom-effect/schemas"
import { Effect } from "effect"
import { store } from "../internal/route.js"
import * as Reply from "../Reply.js"

const models = ["contact", "company", "conversation"]

const list = Effect.gen(function* () {
  const s = yield* store
  const params = yield* Reply.query
  const model = params.get("model")
  if (model !== null && !models.includes(model)) {
    return yield* Reply.invalid("model", `model must be one of ${models.join(", ")}`)
  }
  const archived = params.get("include_archived") === "true"
  const data = s.dataAttributes.filter((a) => (model === null || a.model === model) && (archived || !a.archived))
  return yield* Reply.json(DataAttributeList, { type: "list", data })
})

/**
 * The data attribute routes.
 *
 * @since 0.2.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(HttpRouter.get("/data_attributes", list))
