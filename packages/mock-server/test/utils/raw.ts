/**
 * Requests to the mock without the SDK, for what the SDK would refuse to send or would handle for us.
 */
import { Effect } from "effect"
import { token } from "./mock.js"

export interface RawResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: unknown
}

/** One request with the test token and `Intercom-Version: 2.10` unless `headers` says otherwise. */
export const request = (
  baseUrl: string,
  method: string,
  path: string,
  options: { readonly body?: unknown; readonly headers?: Record<string, string | null> } = {}
): Effect.Effect<RawResponse> =>
  Effect.promise(async () => {
    const headers: Record<string, string> = {}
    const wanted: Record<string, string | null> = {
      authorization: `Bearer ${token}`,
      "intercom-version": "2.10",
      accept: "application/json",
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers
    }
    for (const [k, v] of Object.entries(wanted)) if (v !== null) headers[k] = v
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) })
    })
    const text = await response.text()
    let json: unknown = undefined
    try {
      json = JSON.parse(text)
    } catch {
      // Not JSON: the test looks at `text`.
    }
    return { status: response.status, headers: response.headers, text, json }
  })
