// Types of the generated ajv standalone module of the site policy (scripts/generate.mjs).
import type { CompiledValidator } from './_compiled.js'
export declare const validatePolicy: CompiledValidator
