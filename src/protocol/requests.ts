/**
 * Request and response bodies of /v1/client/* (docs/protocol.md), as plain
 * types. No zod here: these types reach the published declarations, and an
 * app that installs the package does not get zod. The zod schemas that check
 * the same bodies on the server live in schemas.ts and are proved equal to
 * these types there.
 */
import type { ClientTool } from './tools.js';

export interface InitRequest {
  token: string;
  sessionId?: string;
  flowId?: string;
}

export interface SurfaceConfig {
  welcomeMessage?: string;
  placeholder?: string;
  theme?: unknown;
  [field: string]: unknown;
}

export interface InitResponse {
  sessionId: string;
  /** ISO 8601. */
  expiresAt: string;
  flow?: { id: string; name?: string; description?: string; [field: string]: unknown };
  config: SurfaceConfig;
  [field: string]: unknown;
}

export type Part =
  | { type: 'text'; text: string }
  | { type: 'image'; image: string; mimeType?: string }
  | { type: 'file'; data: string; filename: string; mimeType: string }
  | { type: 'reasoning'; text: string };

export interface ChatMessage {
  id?: string;
  role: 'user' | 'assistant' | 'system';
  content: string | Part[];
}

export interface ChatRequest {
  sessionId: string;
  /** The whole transcript. */
  messages: ChatMessage[];
  clientTools?: ClientTool[];
  clientToolsFingerprint?: string;
  assistantMessageId?: string;
  metadata?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  turnId?: string;
  submitMode?: 'normal' | 'interrupt';
}

/** Any JSON value; this project sends `{result}` or `{error}`. */
export type ToolOutput = unknown;

export interface ResumeRequest {
  sessionId: string;
  executionId: string;
  /** Keyed by `toolCallId`. */
  toolOutputs: Record<string, ToolOutput>;
  clientTools?: ClientTool[];
  clientToolsFingerprint?: string;
  streamResponse?: boolean;
}

export type FeedbackType = 'upvote' | 'downvote' | 'copy' | 'csat' | 'nps';

export interface FeedbackRequest {
  token: string;
  sessionId: string;
  type: FeedbackType;
  /** Required for upvote, downvote and copy. */
  messageId?: string;
  /** csat 1–5, nps 0–10. */
  rating?: number;
  comment?: string;
  metadata?: Record<string, unknown>;
}

export interface FeedbackResponse {
  success: true;
  feedbackId: string;
}
