/**
 * Test helpers: the mock Intercom with the test token, the export's services pointed at it, temporary directories.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { NodeHttpClient } from "@effect/platform-node"
import { IntercomConfig } from "@intercom-effect/http"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Layer } from "effect"
import { Export, type Store } from "../src/index.js"
import secret from "./secret.json" with { type: "json" }

/** A token for tests; the root test command fails if it ever shows in the output. */
export const token: string = secret.token

/** The mock with the test token, on a free port. */
export const mock = (options: MockIntercom.Options = {}) =>
  MockIntercom.layer({ seed: 7, accessToken: token, ...options }).pipe(Layer.orDie)

/** The services against `baseUrl`, a store, and a silent progress reporter. */
export const exportLayer = <E>(baseUrl: string, store: Layer.Layer<Store.Store, E>) =>
  Layer.mergeAll(
    Intercom.layer.pipe(
      Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl }))),
      Layer.provide(NodeHttpClient.layerUndici)
    ),
    Layer.orDie(store),
    Export.Reporter.silent
  )

/** A fresh temporary directory. */
export const tempDir = (name: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `intercom-export-${name}-`))
