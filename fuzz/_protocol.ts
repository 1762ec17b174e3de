// The messages between the fuzz runner (fuzz/run.ts) and a target's worker (fuzz/_worker.ts).
import type { Violation } from './_target.js'

export interface WorkerData {
  readonly target: string
  readonly seed: number
  readonly timeMs?: number
  readonly count?: number
  readonly minimiseMs: number
  /** Shared control words: [busy, sequence, input length, phase, index]. */
  readonly ctrl: SharedArrayBuffer
  /** Shared copy of the input being checked. */
  readonly input: SharedArrayBuffer
  /** Replay one stored input instead of fuzzing. */
  readonly replay?: Uint8Array
  /** Fail on known issues too (fuzz/_known.ts). */
  readonly strict: boolean
}

export type Phase = 'seed' | 'mutant' | 'generated' | 'replay'
export const PHASES: readonly Phase[] = ['seed', 'mutant', 'generated', 'replay']

export interface FailureMessage {
  readonly type: 'failure'
  readonly kind: Violation['kind']
  readonly op: string
  readonly detail: string
  readonly phase: Phase
  readonly index: number
  /** The (minimised) input, encoded with the target's codec. */
  readonly input: Uint8Array
  readonly ext: string
  readonly originalLength: number
  readonly shrinkNote: string
}

export interface Stats {
  readonly seeds: number
  readonly mutants: number
  readonly generated: number
  readonly ms: number
  readonly heapPeakMb: number
  readonly rssPeakMb: number
  /** Inputs that met a known issue (fuzz/_known.ts), by issue id. */
  readonly known: Readonly<Record<string, number>>
}

export type WorkerMessage =
  | { readonly type: 'loaded'; readonly seeds: number; readonly loadMs: number; readonly mutate: boolean; readonly generate: boolean }
  | { readonly type: 'progress'; readonly inputs: number; readonly ms: number }
  | FailureMessage
  | { readonly type: 'done'; readonly stats: Stats }
  | { readonly type: 'replayed'; readonly ok: boolean }

