/**
 * What the hand-written methods of a service (src/helpers) are built from: the service's generated operations, and
 * its calls for the rare response a generated method would not decode.
 *
 * @internal
 */
import type { Calls } from "./operation.js"

/** @internal */
export interface Parts<Operations> {
  readonly operations: Operations
  readonly call: Calls
}
