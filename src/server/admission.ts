/**
 * From a request's tools (full array or fingerprint) to the tools the model may
 * call. The rules themselves live in protocol's admitTools, shared with the
 * client and the allowlist lab; this file only applies them to a session.
 */
import {
  SERVER_ERROR,
  WEBMCP_PREFIX,
  admitTools,
  toolSetProblem,
  toolsFingerprint,
  type AdmissionEventData,
  type ClientTool,
  type WebMcpPolicy,
} from '../protocol/index.js';
import type { AgentTool } from './agents/types.js';
import { HttpError } from './http.js';
import type { Session, SessionStore } from './sessions.js';

export interface AdmittedTool {
  tool: ClientTool;
  /** The name the model sees and calls. */
  modelName: string;
}

export interface Admission {
  tools: AdmittedTool[];
  verdict: AdmissionEventData;
}

/** The tool set a request speaks of, checked but not yet remembered. */
export interface ToolPlan {
  /** `undefined` when the request says nothing about tools. */
  tools: ClientTool[] | undefined;
  /** Estimated heap of the set, counted against the memory budget once remembered. */
  bytes: number;
  /** Remembers a full array for the session; call only once the request is accepted. */
  commit(): void;
}

/**
 * The tool set this request speaks of: a full array (to be remembered for
 * the session), a fingerprint of a remembered array, or nothing. Throws
 * 400 or 409 without changing the session.
 */
export function planClientTools(
  sessions: SessionStore,
  session: Session,
  body: { clientTools?: ClientTool[] | undefined; clientToolsFingerprint?: string | undefined },
): ToolPlan {
  const clientTools = body.clientTools;
  if (clientTools) {
    const problem = toolSetProblem(clientTools);
    if (problem) {
      throw new HttpError(400, SERVER_ERROR.clientToolsInvalid, `${problem.tool ? `Tool "${problem.tool}": ` : ''}${problem.message}.`, {
        tool: problem.tool,
      });
    }
    const fingerprint = body.clientToolsFingerprint ?? toolsFingerprint(clientTools);
    // Parsed objects weigh a few times their JSON; 3× is the estimate the budget uses.
    const bytes = 3 * JSON.stringify(clientTools).length;
    return { tools: clientTools, bytes, commit: () => sessions.setTools(session, fingerprint, clientTools, bytes) };
  }
  if (body.clientToolsFingerprint !== undefined) {
    if (session.tools?.fingerprint !== body.clientToolsFingerprint) {
      throw new HttpError(
        409,
        SERVER_ERROR.clientToolsResendRequired,
        'The server no longer has this tool set; send clientTools in full once.',
      );
    }
    return { tools: session.tools.tools, bytes: 0, commit: () => {} };
  }
  return { tools: undefined, bytes: 0, commit: () => {} };
}

export function admit(tools: readonly ClientTool[], policy: WebMcpPolicy | undefined, origin: string): Admission {
  const verdict = admitTools(tools, policy, origin);
  const admitted = new Set(verdict.admitted);
  return {
    tools: tools
      .filter((tool) => admitted.has(tool.name))
      .map((tool) => ({ tool, modelName: tool.origin === 'webmcp' ? `${WEBMCP_PREFIX}${tool.name}` : tool.name })),
    verdict: {
      admitted: verdict.admitted,
      dropped: verdict.dropped.map(({ name, reason, detail }) => (detail ? { name, reason, detail } : { name, reason })),
    },
  };
}

export function toAgentTools(tools: readonly AdmittedTool[]): AgentTool[] {
  return tools.map(({ tool, modelName }) => ({
    name: modelName,
    description: tool.description,
    parameters: tool.parametersSchema as Record<string, unknown>,
  }));
}
