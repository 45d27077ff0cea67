/**
 * What the export's tests share, here and in `apps/export` (as `@intercom-effect/sync/harness/Export`, a path the
 * published package does not have): the mock Intercom with the test token on a free port, and an export's services
 * (the Intercom client, a store, a reporter) pointed at it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { IntercomConfig } from "@intercom-effect/http"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Intercom } from "@intercom-effect/services"
import { Layer } from "effect"
import { Export, type ExportStore } from "../../src/index.js"
import secret from "./secret.json" with { type: "json" }

/** A token for tests; the root test command fails if it ever shows in the output. */
export const token: string = secret.token

/** The mock, seeded, with the test token. */
export const mock = (options: MockIntercom.Options = {}) =>
  MockIntercom.layer({ seed: 7, accessToken: token, ...options }).pipe(Layer.orDie)

/** The Intercom services against `baseUrl`, `config` on top of the test token. */
export const intercom = (baseUrl: string, config: Partial<IntercomConfig.Options> = {}) =>
  Intercom.layer.pipe(
    Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl, ...config }))),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** What `Export.run` needs: the services against `baseUrl`, `store`, and a reporter (silent unless given). */
export const exportLayer = <E>(
  baseUrl: string,
  store: Layer.Layer<ExportStore.Store, E>,
  options: {
    readonly config?: Partial<IntercomConfig.Options>
    readonly reporter?: Layer.Layer<Export.Reporter>
  } = {}
) => Layer.mergeAll(intercom(baseUrl, options.config), Layer.orDie(store), options.reporter ?? Export.Reporter.silent)

/** A fresh temporary directory. */
export const tempDir = (name: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `intercom-sync-export-${name}-`))
