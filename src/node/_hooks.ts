// A test-only hook into the apply steps, to inject failures (e.g. a crash after the copy and before
// the rename) and prove that the original is left untouched and no temp file remains. Internal:
// not exported from noai-tag/node.

/** The steps of an apply where a test may inject a failure. */
export type ApplyStage = 'after-plan' | 'after-patch' | 'after-copy' | 'before-rename'

/** Set by tests only. */
export const applyHooks: { onStage?: ((stage: ApplyStage, detail: { readonly path: string }) => void | Promise<void>) | undefined } = {}

/** Calls the hook, if a test set one. */
export async function stage(name: ApplyStage, path: string): Promise<void> {
  await applyHooks.onStage?.(name, { path })
}
