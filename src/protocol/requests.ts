/** Request and response bodies of /v1/client/* (protocol.md). */
import * as z from './zod.js';
import type { ClientTool } from './tools.js';

export const ClientToolSchema = z.looseObject({
  name: z.string(),
  description: z.string(),
  parametersSchema: z.looseObject({ type: z.literal('object') }),
  origin: z.enum(['webmcp', 'sdk']),
  pageOrigin: z.optional(z.string()),
  untrustedContentHint: z.optional(z.boolean()),
});
// The schema must accept exactly the interface the widget builds.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const clientToolSchemaMatches: Same<z.infer<typeof ClientToolSchema>['origin'], ClientTool['origin']> = true;
void clientToolSchemaMatches;

export const InitRequestSchema = z.object({
  token: z.string().check(z.minLength(1)),
  sessionId: z.optional(z.string()),
  flowId: z.optional(z.string()),
});
export type InitRequest = z.infer<typeof InitRequestSchema>;

export const SurfaceConfigSchema = z.looseObject({
  welcomeMessage: z.optional(z.string()),
  placeholder: z.optional(z.string()),
  theme: z.optional(z.unknown()),
});
export type SurfaceConfig = z.infer<typeof SurfaceConfigSchema>;

export const InitResponseSchema = z.looseObject({
  sessionId: z.string(),
  expiresAt: z.string(),
  flow: z.optional(z.looseObject({ id: z.string(), name: z.optional(z.string()), description: z.optional(z.string()) })),
  config: SurfaceConfigSchema,
});
export type InitResponse = z.infer<typeof InitResponseSchema>;

export const PartSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('image'), image: z.string(), mimeType: z.optional(z.string()) }),
  z.object({ type: z.literal('file'), data: z.string(), filename: z.string(), mimeType: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
]);
export type Part = z.infer<typeof PartSchema>;

export const ChatMessageSchema = z.object({
  id: z.optional(z.string()),
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(PartSchema)]),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ChatRequestSchema = z.object({
  sessionId: z.string().check(z.minLength(1)),
  messages: z.array(ChatMessageSchema).check(z.minLength(1)),
  clientTools: z.optional(z.array(ClientToolSchema)),
  clientToolsFingerprint: z.optional(z.string().check(z.maxLength(128))),
  assistantMessageId: z.optional(z.string()),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  inputs: z.optional(z.record(z.string(), z.unknown())),
  turnId: z.optional(z.string()),
  submitMode: z.optional(z.enum(['normal', 'interrupt'])),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

/** Any JSON value; this project sends `{result}` or `{error}`. */
export type ToolOutput = unknown;

export const ResumeRequestSchema = z.object({
  sessionId: z.string().check(z.minLength(1)),
  executionId: z.string().check(z.minLength(1)),
  toolOutputs: z.record(z.string(), z.unknown()),
  clientTools: z.optional(z.array(ClientToolSchema)),
  clientToolsFingerprint: z.optional(z.string().check(z.maxLength(128))),
  streamResponse: z.optional(z.boolean()),
});
export type ResumeRequest = z.infer<typeof ResumeRequestSchema>;

export const FeedbackRequestSchema = z
  .object({
    token: z.string().check(z.minLength(1)),
    sessionId: z.string().check(z.minLength(1)),
    type: z.enum(['upvote', 'downvote', 'copy', 'csat', 'nps']),
    messageId: z.optional(z.string()),
    rating: z.optional(z.number()),
    comment: z.optional(z.string()),
    metadata: z.optional(z.record(z.string(), z.unknown())),
  })
  .check(
    z.refine((body) => !['upvote', 'downvote', 'copy'].includes(body.type) || !!body.messageId, {
      message: 'messageId is required for upvote, downvote and copy',
      path: ['messageId'],
    }),
    z.refine((body) => body.type !== 'csat' || (Number.isInteger(body.rating) && body.rating! >= 1 && body.rating! <= 5), {
      message: 'csat rating is an integer from 1 to 5',
      path: ['rating'],
    }),
    z.refine((body) => body.type !== 'nps' || (Number.isInteger(body.rating) && body.rating! >= 0 && body.rating! <= 10), {
      message: 'nps rating is an integer from 0 to 10',
      path: ['rating'],
    }),
  );
export type FeedbackRequest = z.infer<typeof FeedbackRequestSchema>;

export const FeedbackResponseSchema = z.object({ success: z.literal(true), feedbackId: z.string() });
export type FeedbackResponse = z.infer<typeof FeedbackResponseSchema>;
