/**
 * `intercom`: an Intercom workspace from the command line, over @intercom-effect/services. See README.md.
 *
 *   INTERCOM_ACCESS_TOKEN=... intercom contacts list --limit 20
 *   intercom conversations search --state open --format json
 *   intercom contacts export --out ./contacts --concurrency 4
 */
import { App } from "@intercom-effect/app-kit"
import { intercom } from "./commands.js"
import { flags } from "./Global.js"

App.run(intercom, { name: "intercom", version: "0.0.0", flags })
