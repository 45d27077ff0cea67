/**
 * A small seeded pseudo-random generator (sfc32, seeded through cyrb128). The mock never touches `Math.random`: the
 * same seed must give the same workspace and the same faults on every machine and every run, and Effect's `Random`
 * cannot be forked into independent, reproducible streams per purpose.
 *
 * @internal
 */

/** A stream of pseudo-random numbers. @internal */
export interface Prng {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max]. */
  readonly int: (min: number, max: number) => number
  /** True with probability `p`. */
  readonly chance: (p: number) => boolean
  /** One element of a non-empty array. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  /** `length` lowercase hex digits. */
  readonly hex: (length: number) => string
}

// cyrb128: spreads any string into four 32-bit words, so nearby seeds ("1", "2") start far apart.
const hash128 = (input: string): [number, number, number, number] => {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0]
}

/**
 * A generator for `seed` and a purpose: each purpose ("contacts", "faults", ...) gets its own stream, so adding a
 * company does not shift every fault that follows.
 *
 * @internal
 */
export const make = (seed: number | string, purpose: string): Prng => {
  let [a, b, c, d] = hash128(`${seed}/${purpose}`)
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (a + b + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // The first outputs of sfc32 still echo the seed words; discard them.
  for (let i = 0; i < 12; i++) next()
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    chance: (p) => p > 0 && next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    hex: (length) => {
      let out = ""
      while (out.length < length)
        out += Math.floor(next() * 0x1_0000_0000)
          .toString(16)
          .padStart(8, "0")
      return out.slice(0, length)
    }
  }
}
