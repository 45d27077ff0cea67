/**
 * The contenders by name. Each is imported only when its child asks for it, so a child's peak RSS holds its own
 * contender's libraries and nothing of the others' (the raw child never loads effect, the SDK child never loads
 * intercom-client).
 */
import type { ContenderName } from "../jobs.js"
import type { Contender } from "./types.js"

/** Builds a contender against the server at `baseUrl`. */
export const makeContender: Readonly<Record<ContenderName, (baseUrl: string) => Promise<Contender>>> = {
  raw: async (baseUrl) => (await import("./raw.js")).make(baseUrl),
  platform: async (baseUrl) => (await import("./platform.js")).make(baseUrl),
  sdk: async (baseUrl) => (await import("./sdk.js")).make(baseUrl, 0),
  "sdk-undici": async (baseUrl) => (await import("./sdk.js")).make(baseUrl, 0, "undici"),
  "sdk-prefetch": async (baseUrl) => (await import("./sdk.js")).make(baseUrl, 1),
  // An export contender only (W2, see `exporters.ts`): the harness never asks it to walk or to call GET /me.
  "sdk-partitioned": () => Promise.reject(new Error("sdk-partitioned takes part in W2 only")),
  "intercom-client": async (baseUrl) => (await import("./intercomClient.js")).make(baseUrl, 7),
  "intercom-client-6": async (baseUrl) => (await import("./intercomClient.js")).make(baseUrl, 6)
}
