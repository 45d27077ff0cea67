/**
 * The building blocks of the generated fast decoders (generated/decoders.ts). Each takes a parsed JSON value and
 * returns what the matching `Schema` would decode it to, or `Invalid`; none of them mutates its input. A value that
 * needs no conversion comes back as the same reference, so a well-formed response is decoded without a copy.
 *
 * @internal
 */
import { idFromNumber, numberFromString } from "./lenient.js"

/** What a fast decoder returns for a value its schema rejects. @internal */
export const Invalid: unique symbol = Symbol.for("@intercom-effect/schemas/Decoder/Invalid")

/** @internal */
export type Invalid = typeof Invalid

/** A fast decoder. @internal */
export type Decode = (u: unknown) => unknown

/** An object that a struct or a record accepts: anything but null, an array or a primitive. @internal */
export const isObject = (u: unknown): u is { [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** @internal */
export const string: Decode = (u) => (typeof u === "string" ? u : Invalid)

/** @internal */
export const boolean: Decode = (u) => (typeof u === "boolean" ? u : Invalid)

/** @internal */
export const unknown: Decode = (u) => u

/** A map of unknown values. @internal */
export const object: Decode = (u) => (isObject(u) ? u : Invalid)

/** A number as the file declares it (requests only; responses use {@link number}). @internal */
export const strictNumber: Decode = (u) => (typeof u === "number" ? u : Invalid)

/** A number, or its lossless decimal string. @internal */
export const number: Decode = (u) => {
  if (typeof u === "number") return u
  if (typeof u !== "string") return Invalid
  const n = numberFromString(u)
  return n === undefined ? Invalid : n
}

/** An id: a string, or a safe integer turned into its decimal string. @internal */
export const id: Decode = (u) => {
  if (typeof u === "string") return u
  if (typeof u !== "number") return Invalid
  const s = idFromNumber(u)
  return s === undefined ? Invalid : s
}

/** An array whose items decode with `item`; copied only if an item changes. @internal */
export const array = (u: unknown, item: Decode): unknown => {
  if (!Array.isArray(u)) return Invalid
  let out: Array<unknown> = u
  for (let i = 0; i < u.length; i++) {
    const x: unknown = u[i]
    const r = item(x)
    if (r === Invalid) return Invalid
    if (r !== x) {
      if (out === u) out = u.slice()
      out[i] = r
    }
  }
  return out
}

/** A map whose values decode with `value`; copied only if a value changes. @internal */
export const record = (u: unknown, value: Decode): unknown => {
  if (!isObject(u)) return Invalid
  let out = u
  for (const key of Object.keys(u)) {
    const x = u[key]
    const r = value(x)
    if (r === Invalid) return Invalid
    if (r !== x) {
      if (out === u) out = { ...u }
      out[key] = r
    }
  }
  return out
}
