/** Debian's Chromium (`CHROMIUM_PATH` overrides it). */
export declare const CHROMIUM_PATH: string;
/** The flags every headless launch of ours uses; add `--enable-features=WebMCP` for native WebMCP. */
export declare const CHROMIUM_ARGS: readonly string[];
