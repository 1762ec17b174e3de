// Types of the generated ajv standalone module (scripts/generate.mjs).
export interface CompiledError {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
  propertyName?: string
}
export interface CompiledValidator {
  (data: unknown): boolean
  errors?: CompiledError[] | null
}
export declare const validateTag: CompiledValidator
