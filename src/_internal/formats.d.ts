export declare function isDateTime(s: string): boolean
export declare function isUri(s: string): boolean
export declare function ucs2length(s: string): number
export declare function timestampOf(s: string): number | undefined
export declare function instantOf(s: string): number | undefined
