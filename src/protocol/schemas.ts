/**
 * zod schemas for the server and tests: request bodies and stream events.
 * Kept out of the protocol barrel (index.ts) so the widget's published
 * declarations never name zod, which an installing app does not get. Each
 * schema is proved to accept exactly the plain type of requests.ts.
 */
import * as z from './zod.js';
import type {
  ChatMessage,
  ChatRequest,
  FeedbackRequest,
  FeedbackResponse,
  InitRequest,
  InitResponse,
  Part,
  ResumeRequest,
  SurfaceConfig,
} from './requests.js';
import type { ClientTool } from './tools.js';

export * from './event-schemas.js';

export const ClientToolSchema = z.looseObject({
  name: z.string(),
  description: z.string(),
  parametersSchema: z.looseObject({ type: z.literal('object') }),
  origin: z.enum(['webmcp', 'sdk']),
  pageOrigin: z.optional(z.string()),
  untrustedContentHint: z.optional(z.boolean()),
});

export const InitRequestSchema = z.object({
  token: z.string().check(z.minLength(1)),
  sessionId: z.optional(z.string()),
  flowId: z.optional(z.string()),
});

export const SurfaceConfigSchema = z.looseObject({
  welcomeMessage: z.optional(z.string()),
  placeholder: z.optional(z.string()),
  theme: z.optional(z.unknown()),
});

export const InitResponseSchema = z.looseObject({
  sessionId: z.string(),
  expiresAt: z.string(),
  flow: z.optional(z.looseObject({ id: z.string(), name: z.optional(z.string()), description: z.optional(z.string()) })),
  config: SurfaceConfigSchema,
});

export const PartSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('image'), image: z.string(), mimeType: z.optional(z.string()) }),
  z.object({ type: z.literal('file'), data: z.string(), filename: z.string(), mimeType: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
]);

export const ChatMessageSchema = z.object({
  id: z.optional(z.string()),
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(PartSchema)]),
});

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

/**
 * Tool-call ids are data: `__proto__` or `constructor` is just another key. `z.record` builds its
 * result by assignment, which would turn a `__proto__` key into a prototype and lose the output.
 */
const ToolOutputsSchema = z.pipe(
  z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    error: 'expected an object keyed by toolCallId',
  }),
  z.transform((value) => Object.assign(Object.create(null) as Record<string, unknown>, value)),
);

export const ResumeRequestSchema = z.object({
  sessionId: z.string().check(z.minLength(1)),
  executionId: z.string().check(z.minLength(1)),
  toolOutputs: ToolOutputsSchema,
  clientTools: z.optional(z.array(ClientToolSchema)),
  clientToolsFingerprint: z.optional(z.string().check(z.maxLength(128))),
  streamResponse: z.optional(z.boolean()),
});

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
    z.refine(
      (body) =>
        body.type !== 'csat' || (typeof body.rating === 'number' && Number.isInteger(body.rating) && body.rating >= 1 && body.rating <= 5),
      {
        message: 'csat rating is an integer from 1 to 5',
        path: ['rating'],
      },
    ),
    z.refine(
      (body) =>
        body.type !== 'nps' || (typeof body.rating === 'number' && Number.isInteger(body.rating) && body.rating >= 0 && body.rating <= 10),
      {
        message: 'nps rating is an integer from 0 to 10',
        path: ['rating'],
      },
    ),
  );

export const FeedbackResponseSchema = z.object({ success: z.literal(true), feedbackId: z.string() });

// One definition, two spellings: each schema accepts exactly its plain type.
// These lines stop compiling the day a field is added to one and not the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = {
  clientTool: true satisfies Same<z.infer<typeof ClientToolSchema>, ClientTool>,
  initRequest: true satisfies Same<z.infer<typeof InitRequestSchema>, InitRequest>,
  surfaceConfig: true satisfies Same<z.infer<typeof SurfaceConfigSchema>, SurfaceConfig>,
  initResponse: true satisfies Same<z.infer<typeof InitResponseSchema>, InitResponse>,
  part: true satisfies Same<z.infer<typeof PartSchema>, Part>,
  chatMessage: true satisfies Same<z.infer<typeof ChatMessageSchema>, ChatMessage>,
  chatRequest: true satisfies Same<z.infer<typeof ChatRequestSchema>, ChatRequest>,
  resumeRequest: true satisfies Same<z.infer<typeof ResumeRequestSchema>, ResumeRequest>,
  feedbackRequest: true satisfies Same<z.infer<typeof FeedbackRequestSchema>, FeedbackRequest>,
  feedbackResponse: true satisfies Same<z.infer<typeof FeedbackResponseSchema>, FeedbackResponse>,
};
void same;
