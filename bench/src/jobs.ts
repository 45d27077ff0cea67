/**
 * What the parent asks of a child process and what the child answers: plain JSON, passed as argv[2] and sent back
 * over the IPC channel.
 */

/**
 * The contenders, in the order tables list them. `sdk` pages sequentially, as the others do; `sdk-prefetch` is the
 * same SDK with Paginate's default of one page fetched ahead (W1 only: GET /me has no pages).
 */
export const contenderNames = ["raw", "platform", "sdk", "sdk-prefetch", "intercom-client"] as const

/** Contenders that only walk (W1). */
export const walkOnly: ReadonlySet<ContenderName> = new Set(["sdk-prefetch"])

/** One of {@link contenderNames}. */
export type ContenderName = (typeof contenderNames)[number]

/** How each contender is named in a table. */
export const contenderLabels: Readonly<Record<ContenderName, string>> = {
  raw: "raw undici request + JSON.parse",
  platform: "@effect/platform HttpClient (undici) + JSON",
  sdk: "intercom-effect (IntercomClient + Paginate + schemas)",
  "sdk-prefetch": "intercom-effect, Paginate's default prefetch of 1 page",
  "intercom-client": "intercom-client 7.0.3"
}

/** W1: walk the contact list page by page. */
export interface WalkJob {
  readonly workload: "w1"
  readonly contender: ContenderName
  readonly baseUrl: string
  /** Contacts to walk in the measured pass (a multiple of 150, at most what the server holds). */
  readonly items: number
  /** Contacts walked before measuring, so the JIT and the connection pool are warm. */
  readonly warmupItems: number
  /** When set, a CPU profile of the measured pass (not start-up, not warm-up) is written to this file. */
  readonly profileTo?: string | undefined
}

/** W3: GET /me many times, with at most `concurrency` calls in flight. */
export interface IdentifyJob {
  readonly workload: "w3"
  readonly contender: ContenderName
  readonly baseUrl: string
  readonly calls: number
  readonly concurrency: number
  readonly warmupCalls: number
  /** As for {@link WalkJob}. */
  readonly profileTo?: string | undefined
}

/** Decode alone: `JSON.parse` of a page against the SDK's decode of the parsed page, no network. */
export interface DecodeJob {
  readonly workload: "decode"
  /** Distinct pages to cycle through, so no single body stays hot in every cache. */
  readonly pages: number
  /** Page operations measured for each of parse and decode. */
  readonly iterations: number
  readonly realTraffic: boolean
}

/** Any job. */
export type Job = WalkJob | IdentifyJob | DecodeJob

/** Figures of one measured pass over the network, taken inside the contender's own process. */
export interface NetworkResult {
  /** Items walked (W1) or calls completed (W3), checked against what was asked. */
  readonly count: number
  readonly wallMs: number
  /** User + system CPU of the whole process (all its threads, GC included) during the measured pass. */
  readonly cpuMs: number
  /** Peak resident set size of the process since it started (getrusage `ru_maxrss`). */
  readonly peakRssMb: number
}

/** Figures of one decode pass. */
export interface DecodeResult {
  readonly contacts: number
  readonly parseUsPerContact: number
  readonly decodeUsPerContact: number
  /** Serialized size of one contact on average, to put the figures in proportion. */
  readonly bytesPerContact: number
}

/** What a child sends back. */
export type Reply =
  | { readonly ok: true; readonly result: NetworkResult | DecodeResult }
  | { readonly ok: false; readonly error: string }
