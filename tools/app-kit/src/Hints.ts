/**
 * What a user can do about each way an Intercom call fails: the second half of an app's one-line failure. The first
 * half is the error's own message (method, path, status, Intercom's request id and error codes), so these texts say
 * only what to do next. Kept in one place so every app gives the same advice.
 */
import type { IntercomError } from "@intercom-effect/http"

/**
 * What to do after `error`, as one sentence. `flags` maps the environment variables the hints name to the app's
 * flags for the same setting, if it has them: `{ INTERCOM_ACCESS_TOKEN: "--token" }` gives "INTERCOM_ACCESS_TOKEN or
 * --token".
 */
export const forIntercomError = (
  error: IntercomError.IntercomError,
  flags: Readonly<Record<string, string>> = {}
): string => {
  const setting = (variable: string) => (flags[variable] === undefined ? variable : `${variable} or ${flags[variable]}`)
  const token = setting("INTERCOM_ACCESS_TOKEN")
  const host = `${setting("INTERCOM_REGION")}, or ${setting("INTERCOM_BASE_URL")}`
  switch (error._tag) {
    case "BadRequest":
      return "Intercom refused the parameters: check the values given"
    case "Unauthorized":
      return `Check the access token (${token}): it is wrong or revoked, or its workspace is in another region (${host})`
    case "Forbidden":
      return "The token's app lacks the permission this call needs: grant it in Intercom's Developer Hub, or use another token"
    case "NotFound":
      return "Check the id: the object may have been deleted or merged, or belong to another workspace"
    case "Conflict":
      return "The object exists already or changed meanwhile: look it up, then try again"
    case "UnprocessableEntity":
      return "Intercom refused the content: correct the fields it names"
    case "RateLimited":
      return error.transient
        ? "Intercom's rate limit stayed spent through every retry: wait a minute and run again, with fewer walks at once (--concurrency) or nothing else using this app's token"
        : "Intercom allows one pending data export at a time: wait until the pending one is done"
    case "ServerError":
      return "Intercom failed on its side: try again later, and quote the request id to Intercom support if it goes on"
    case "UnexpectedStatus":
      return `Something between here and Intercom answered oddly: check the host (${host}) and any proxy`
    case "TransportError":
      return `Intercom could not be reached: check the network and the host (${host})`
    case "IncompleteResponse":
      return error.outcomeUnknown
        ? "Look the object up before you send the call again"
        : "The answer was cut off on the way: run again"
    case "TimeoutError":
      return "Intercom did not answer in time: run again later"
    case "DecodeError":
      return "Intercom sent data this version cannot read: report it with the request id (run with --verbose for the details)"
    case "InvalidRequest":
      return "Nothing was sent: correct the input named above"
  }
}
