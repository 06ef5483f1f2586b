/**
 * The bridge's public surface: find the page's WebMCP, snapshot its tools,
 * run one call; the polyfill; typed tools for SPA code.
 */
export type * from './types.js';
export { createBridge, DEFAULT_TIMEOUT_MS, type BridgeOptions } from './create-bridge.js';
export { createMemoryApprovalStore, type ApprovalMemory, type ApprovalPolicyTool } from './approval.js';
export { discover, type Backend } from './discover.js';
export {
  buildSnapshot,
  parametersSchemaOf,
  DEFAULT_PARAMETERS_SCHEMA,
  type RawTool,
  type SnapshotEntry,
  type BuiltSnapshot,
  type SnapshotOptions,
} from './snapshot.js';
export { normalizeResult, DEFAULT_MAX_RESULT_BYTES, type NormalizedResult } from './normalize-result.js';
export { argumentProblems, coerceArguments } from './validate-args.js';
export { installPolyfill, isPolyfill, ModelContextPolyfill, POLYFILL_MARKER } from './polyfill.js';
export { defineTool, jsonSchemaOf, formatIssues, type DefineToolOptions, type DefineToolSettings, type Unregister } from './define-tool.js';
export type {
  ModelContext,
  ModelContextTool,
  RegisteredTool,
  RegisterToolOptions,
  ToolAnnotations,
  ExecuteContext,
  BridgeWindow,
} from './model-context.js';
