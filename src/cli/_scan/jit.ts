/**
 * The JIT setting of `noai scan` (docs/performance.md "Scan"). A scan runs the same few hundred
 * functions (six container readers, the tag parser, `evaluate`) over and over, and on a run of
 * thousands of files much of its time goes by before V8's optimizing compiler has caught up with
 * them: that compiler works on another thread, and inlining makes each of its jobs several times
 * larger. Without inlining the optimized code arrives sooner; measured on 10,000 small files the
 * scan is about 5 % faster, and on 100,000 no slower. Scans of URLs lose by it (the HTML and
 * header parsers run faster inlined: 10,000 URLs took about 15 % longer), so it is set only when
 * every input is a folder or a file, whose items are all files.
 *
 * @module
 */
import { setFlagsFromString } from 'node:v8'

/** The V8 flags a scan sets for the rest of its process. */
export const SCAN_V8_FLAGS = '--no-turbo-inlining'

/**
 * Sets {@link SCAN_V8_FLAGS} for the rest of the process (the CLI process is the scan's own).
 *
 * @example
 * ```ts
 * tuneJitForScan() // before the first item is scanned
 * ```
 */
export function tuneJitForScan(): void {
  setFlagsFromString(SCAN_V8_FLAGS)
}
