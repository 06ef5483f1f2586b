/**
 * What the widget checks of the JSON answers it reads (zod-free, see shape.ts).
 * The full types are InitResponse and FeedbackResponse in requests.ts.
 */
import type { Shape } from './shape.js';

export const INIT_RESPONSE_SHAPE = {
  sessionId: 'string',
  expiresAt: 'string',
  config: 'object?',
  flow: 'object?',
} as const satisfies Shape;
export const FEEDBACK_RESPONSE_SHAPE = { success: 'boolean', feedbackId: 'string' } as const satisfies Shape;
