/**
 * What the parent asks of a child process and what the child answers: plain JSON, passed as argv[2] and sent back
 * over the IPC channel.
 */

/**
 * The contenders, in the order tables list them. `sdk` pages sequentially, as the others do; `sdk-prefetch` is the
 * same SDK with Paginate's default of one page fetched ahead (W1 only: GET /me has no pages); `sdk-partitioned` is
 * the export app walking contacts as `created_at` partitions side by side (W2 only: it is a way to export, not a
 * way to page). `sdk-undici` is the SDK over its shipped lean transport (`UndiciHttpClient.layer`, undici's
 * `request` directly), to show what the platform's client costs; `intercom-client-6` is the last 6.x
 * of Intercom's SDK beside 7.
 */
export const contenderNames = [
  "raw",
  "platform",
  "sdk",
  "sdk-undici",
  "sdk-prefetch",
  "sdk-partitioned",
  "intercom-client",
  "intercom-client-6"
] as const

/** One of {@link contenderNames}. */
export type ContenderName = (typeof contenderNames)[number]

/** The workloads that send requests, each with its own set of contenders. */
export type NetworkWorkload = "w1" | "w2" | "w3"

/** The contenders of W2, the export under a window limit: the export app two ways, and intercom-client. */
export const exportContenderNames = ["sdk", "sdk-partitioned", "intercom-client"] as const

/** One of {@link exportContenderNames}. */
export type ExportContenderName = (typeof exportContenderNames)[number]

/** Which contenders take part in which workload. */
const workloadsOf: Readonly<Record<ContenderName, ReadonlyArray<NetworkWorkload>>> = {
  raw: ["w1", "w3"],
  platform: ["w1", "w3"],
  sdk: ["w1", "w2", "w3"],
  "sdk-prefetch": ["w1"],
  "sdk-undici": ["w1", "w3"],
  "sdk-partitioned": ["w2"],
  "intercom-client": ["w1", "w2", "w3"],
  "intercom-client-6": ["w1", "w3"]
}

/** Whether `name` takes part in `workload`. */
export const takesPart = (workload: NetworkWorkload, name: ContenderName): boolean =>
  workloadsOf[name].includes(workload)

/** Whether `name` is a W2 contender. */
export const isExportContender = (name: ContenderName): name is ExportContenderName =>
  (exportContenderNames as ReadonlyArray<ContenderName>).includes(name)

/** How each contender is named in a table. */
export const contenderLabels: Readonly<Record<ContenderName, string>> = {
  raw: "raw undici request + JSON.parse",
  platform: "@effect/platform HttpClient (undici) + JSON",
  sdk: "intercom-effect (IntercomClient + Paginate + schemas)",
  "sdk-undici": "intercom-effect over UndiciHttpClient.layer",
  "sdk-prefetch": "intercom-effect, Paginate's default prefetch of 1 page",
  "sdk-partitioned": "intercom-effect export app, contacts as created_at partitions",
  "intercom-client": "intercom-client 7.0.3",
  "intercom-client-6": "intercom-client 6.4.0"
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

/**
 * W2: export every contact of the mock Intercom, whose window limit paces the run. The contender starts at the
 * beginning of a window (see `export.ts`), so the least time the limit allows is a whole number of windows.
 */
export interface ExportJob {
  readonly workload: "w2"
  readonly contender: ExportContenderName
  readonly baseUrl: string
  /** Contacts the mock holds: the export must store each exactly once. */
  readonly contacts: number
  /** The span of the contacts' `created_at` (unix seconds), which the partitions divide. */
  readonly since: number
  readonly until: number
  /** Partitions of `sdk-partitioned`, walked all at once. */
  readonly partitions: number
  /** The mock's window length; windows are aligned to multiples of it since the epoch. */
  readonly windowMillis: number
}

/**
 * How a sync job runs: `durable` is `Sync.run`, the workflow on the SQLite engine with its default steps (each an
 * activity of several pages, see `Run.Config.requestsPerStep`); `durable-per-page` the same with one page per step,
 * as the engine ran before issue 15; `inline` is `Sync.runInline`, the same plan, walk and writes with no engine.
 */
export const syncModes = ["inline", "durable", "durable-per-page"] as const

/** One of {@link syncModes}. */
export type SyncMode = (typeof syncModes)[number]

/**
 * S1 and S2: one run of `@intercom-effect/sync` over the contacts of the living mock, into a SQLite file. S1's run
 * is an incremental one, into a copy of a store a first run filled; S2's a first run into an empty store.
 */
export interface SyncJob {
  readonly workload: "s1" | "s2"
  readonly mode: SyncMode
  readonly baseUrl: string
  /** The SQLite file the measured run syncs into. */
  readonly filename: string
  /** When set, a first run into this file before the measured one, unmeasured: the process's JIT is warm. */
  readonly warmupFilename?: string | undefined
  /** As for {@link WalkJob}. */
  readonly profileTo?: string | undefined
}

/** Any job. */
export type Job = WalkJob | IdentifyJob | DecodeJob | ExportJob | SyncJob

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

/** Figures of one export, taken inside the contender's process; the server's counters are added by the parent. */
export interface ExportResult {
  readonly wallMs: number
  /** Contacts the walk handed over, duplicates included. */
  readonly items: number
  /** Distinct contacts stored at the end (the SQLite table's count, keyed by id; a set of ids for intercom-client). */
  readonly stored: number
  /** Why the export stopped early, when it did: a result to report, not a harness failure. */
  readonly error?: string | undefined
}

/** Figures of one sync run, taken inside its process; the mock's counters are added by the parent. */
export interface SyncResult {
  readonly wallMs: number
  /** User + system CPU of the whole process during the run. */
  readonly cpuMs: number
  readonly peakRssMb: number
  /** Contacts the run's pages stored, pages and the requests they took (as the run's summary counts them). */
  readonly items: number
  readonly pages: number
  readonly requests: number
  /** Contacts the copy holds at the end. */
  readonly stored: number
}

/** Any result. */
export type Result = NetworkResult | DecodeResult | ExportResult | SyncResult

/** What a child sends back. */
export type Reply = { readonly ok: true; readonly result: Result } | { readonly ok: false; readonly error: string }
