/**
 * The one path builder of the workspace: `IntercomClient.path`, `IntercomClient.fillPath` and the services all fill
 * their templates here, and the client checks every path (built here or written by hand) before anything is sent.
 *
 * Why percent-encoding is not enough: `encodeURIComponent` leaves `.` and `..` as they are, and the URL parser
 * resolves them (`/contacts/c1/tags/..` is sent as `/contacts/c1/`, which deletes the contact); it resolves their
 * encoded forms (`%2e%2e`) too, and drops tabs and newlines before it does. An empty id turns "get one" into "list
 * all", and a lone surrogate makes `encodeURIComponent` throw. None of these can be encoded into something safe, so
 * they are refused.
 *
 * @internal
 */
import { Either } from "effect"
import { hasLoneSurrogate } from "./wellFormed.js"

/** Why a path cannot be sent, and which parameter (or segment) is to blame. @internal */
export interface PathIssue {
  /** The parameter's name, or `null` when the path itself (not a parameter) is wrong. */
  readonly parameter: string | null
  readonly issue: string
}

/** A path, built from a template and parameters, that the client resolves before sending. @internal */
export interface Path {
  readonly _tag: "Path"
  readonly template: string
  readonly resolved: Either.Either<string, PathIssue>
}

/** A segment the URL parser would resolve to "this directory" or "the parent", in any of its spellings. */
const dotSegment = /^(?:\.|%2e){1,2}$/i

/** Characters the URL parser drops (tab, newline) or that end a path (`?`, `#`) or a segment (`\` on http(s)). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const unsafeInRawPath = /[\u0000-\u001f\u007f?#\\]/

/**
 * What is wrong with one parameter's value, if anything. Numbers must be safe integers: `NaN`, `1e21` or `1.5` are
 * not ids, though they would print as something.
 *
 * @internal
 */
export const parameterIssue = (value: unknown): string | undefined => {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? undefined : `is ${value}, which is not an id (a safe integer or a string)`
  }
  if (typeof value !== "string") return `is ${value === undefined ? "missing" : `a ${typeof value}, not a string`}`
  if (value === "") return "is empty, which would address the collection instead of one item"
  if (value === "." || value === "..") return `is "${value}", which the URL would resolve into another route`
  if (hasLoneSurrogate(value)) return "holds a lone surrogate, which is not valid Unicode"
  return undefined
}

/** Percent-encodes one checked parameter. */
const encode = (value: string | number): string => encodeURIComponent(String(value))

/**
 * What is wrong with a whole path, if anything: it must start with `/` (else the base URL's host would run into it)
 * and have no empty or dot segment, in any spelling the URL parser resolves.
 *
 * @internal
 */
export const pathIssue = (path: string): string | undefined => {
  if (!path.startsWith("/")) return 'the path does not start with "/"'
  if (hasLoneSurrogate(path)) return "the path holds a lone surrogate, which is not valid Unicode"
  if (unsafeInRawPath.test(path)) {
    return 'the path holds a control character, "?", "#" or "\\" (query parameters go in urlParams)'
  }
  const segments = path.slice(1).split("/")
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    if (segment === "") return `segment ${i + 1} of the path is empty`
    if (dotSegment.test(segment)) return `segment ${i + 1} of the path is "${segment}", which the URL would resolve`
  }
  return undefined
}

const resolve = (template: string, fill: () => string | PathIssue): Path => {
  const filled = fill()
  if (typeof filled !== "string") return { _tag: "Path", template, resolved: Either.left(filled) }
  const issue = pathIssue(filled)
  return {
    _tag: "Path",
    template,
    resolved: issue === undefined ? Either.right(filled) : Either.left({ parameter: null, issue })
  }
}

/** `{name}` placeholders of a path template. */
const placeholder = /\{(\w+)\}/g

/**
 * Fills a template's `{name}` placeholders from `params`. The first parameter that is missing or unsafe is the
 * issue; the template is kept for errors, which never show the ids.
 *
 * @internal
 */
export const fill = (template: string, params: Readonly<Record<string, unknown>>): Path =>
  resolve(template, () => {
    let problem: PathIssue | undefined
    const filled = template.replace(placeholder, (_, name: string) => {
      const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined
      const issue = parameterIssue(value)
      if (issue !== undefined) {
        problem ??= { parameter: name, issue: `path parameter ${name} ${issue}` }
        return ""
      }
      return encode(value as string | number)
    })
    return problem ?? filled
  })

/**
 * Builds a path from a tagged template: literal parts as written, each parameter checked and encoded. Parameters
 * have no names here, so they are numbered from 1 in the template an error shows (`/contacts/{1}/tags/{2}`).
 *
 * @internal
 */
export const tagged = (strings: TemplateStringsArray, ...params: ReadonlyArray<unknown>): Path => {
  const template = strings.reduce((out, part, i) => out + part + (i < params.length ? `{${i + 1}}` : ""), "")
  return resolve(template, () => {
    let out = ""
    for (let i = 0; i < strings.length; i++) {
      out += strings[i]
      if (i >= params.length) continue
      const issue = parameterIssue(params[i])
      if (issue !== undefined) return { parameter: String(i + 1), issue: `path parameter ${i + 1} ${issue}` }
      out += encode(params[i] as string | number)
    }
    return out
  })
}

/** Whether a value is a {@link Path}. @internal */
export const isPath = (u: unknown): u is Path =>
  typeof u === "object" && u !== null && (u as { readonly _tag?: unknown })._tag === "Path"
