/**
 * Admins and teams: the token's admin (`GET /me`), every admin, one admin; every team, one team.
 *
 * @since 0.1.0
 */
import { HttpRouter } from "@effect/platform"
import { Admin, AdminList, AdminWithApp, Team, TeamList } from "@intercom-effect/schemas"
import { Effect } from "effect"
import { param, store } from "../internal/route.js"
import * as Reply from "../Reply.js"

/**
 * The admin and team routes.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/me",
    Effect.gen(function* () {
      const s = yield* store
      // The token belongs to the workspace's first admin.
      return yield* Reply.json(AdminWithApp, { ...s.admins[0]!, email_verified: true, app: s.app })
    })
  ),
  HttpRouter.get(
    "/admins",
    Effect.gen(function* () {
      const s = yield* store
      return yield* Reply.json(AdminList, { type: "admin.list", admins: s.admins })
    })
  ),
  HttpRouter.get(
    "/admins/:id",
    Effect.gen(function* () {
      const s = yield* store
      const admin = s.admin(yield* param("id"))
      if (admin === undefined) return yield* Reply.notFound("admin_not_found", "Admin not found")
      return yield* Reply.json(Admin, admin)
    })
  ),
  HttpRouter.get(
    "/teams",
    Effect.gen(function* () {
      const s = yield* store
      return yield* Reply.json(TeamList, { type: "team.list", teams: s.teams })
    })
  ),
  HttpRouter.get(
    "/teams/:id",
    Effect.gen(function* () {
      const s = yield* store
      const id = yield* param("id")
      const team = s.teams.find((t) => t.id === id)
      if (team === undefined) return yield* Reply.notFound("team_not_found", "Team not found")
      return yield* Reply.json(Team, team)
    })
  )
)
