/**
 * Records of one resource in creation order, by id. Lists and cursors walk the creation order (`seq`), so a cursor
 * stays valid when records before or after it are deleted or added, the way Intercom's cursors do.
 *
 * @internal
 */

/** What a record needs to live in a collection. @internal */
export interface Keyed {
  readonly seq: number
  readonly id: string
}

/** One page of a walk in `seq` order. @internal */
export interface Slice<R> {
  readonly items: ReadonlyArray<R>
  /** Whether more records follow the last one. */
  readonly more: boolean
}

/** The index of the first record whose `seq` is greater than `after` in an array sorted by `seq`. @internal */
export const firstAfter = (sorted: ReadonlyArray<Keyed>, after: number): number => {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]!.seq <= after) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Up to `limit` records of `sorted` after `seq` that `keep` accepts, and whether another follows.
 *
 * @internal
 */
export const sliceAfter = <R extends Keyed>(
  sorted: ReadonlyArray<R>,
  after: number | undefined,
  limit: number,
  keep: (record: R) => boolean = () => true
): Slice<R> => {
  const items: Array<R> = []
  let i = after === undefined ? 0 : firstAfter(sorted, after)
  for (; i < sorted.length; i++) {
    const record = sorted[i]!
    if (!keep(record)) continue
    if (items.length === limit) return { items, more: true }
    items.push(record)
  }
  return { items, more: false }
}

/** @internal */
export class Collection<R extends Keyed> {
  private readonly byId = new Map<string, R>()
  // Deleted records stay here until they outnumber the live ones: a delete is O(1) and a page skips them.
  private order: Array<R> = []
  private holes = 0

  get size(): number {
    return this.byId.size
  }

  get(id: string): R | undefined {
    return this.byId.get(id)
  }

  add(record: R): void {
    this.byId.set(record.id, record)
    this.order.push(record)
  }

  remove(id: string): R | undefined {
    const record = this.byId.get(id)
    if (record === undefined) return undefined
    this.byId.delete(id)
    if (++this.holes > 64 && this.holes > this.order.length / 2) {
      this.order = this.order.filter((r) => this.byId.get(r.id) === r)
      this.holes = 0
    }
    return record
  }

  private isLive = (record: R): boolean => this.byId.get(record.id) === record

  /** Live records in creation order. */
  values(keep: (record: R) => boolean = () => true): Array<R> {
    return this.order.filter((r) => this.isLive(r) && keep(r))
  }

  /**
   * A live record `keep` accepts, looked for from position `u` (in [0, 1)) of the creation order onwards, wrapping
   * around, among at most `limit` records: a pick driven by a seeded draw that needs no list of the candidates.
   */
  pick(u: number, keep: (record: R) => boolean = () => true, limit = 1000): R | undefined {
    const n = this.order.length
    const start = Math.min(n - 1, Math.floor(u * n))
    for (let k = 0; k < Math.min(n, limit); k++) {
      const record = this.order[(start + k) % n]!
      if (this.isLive(record) && keep(record)) return record
    }
    return undefined
  }

  /** Up to `limit` live records after `seq` that `keep` accepts. */
  page(after: number | undefined, limit: number, keep: (record: R) => boolean = () => true): Slice<R> {
    return sliceAfter(this.order, after, limit, (r) => this.isLive(r) && keep(r))
  }
}
