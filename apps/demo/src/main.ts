/**
 * Entry point of `pnpm demo`: the export against the embedded mock Intercom, or against your workspace when
 * INTERCOM_ACCESS_TOKEN is set. See README.md.
 */
import { Command } from "@effect/cli"
import { App } from "@intercom-effect/app-kit"
import { main } from "./Demo.js"

const demo = Command.make("intercom-demo", {}, () => main).pipe(
  Command.withDescription(
    "Exports a seeded mock Intercom (or your workspace, with INTERCOM_ACCESS_TOKEN set) and shows how the client paces itself."
  )
)

App.run(demo, { name: "intercom-demo", version: "0.0.0" })
