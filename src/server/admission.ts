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
import type { Session } from './sessions.js';

export interface AdmittedTool {
  tool: ClientTool;
  /** The name the model sees and calls. */
  modelName: string;
}

export interface Admission {
  tools: AdmittedTool[];
  verdict: AdmissionEventData;
}

/**
 * The tool set this request speaks of: a full array (remembered for the
 * session), a fingerprint of a remembered array, or `undefined` when it says
 * nothing about tools.
 */
export function resolveClientTools(
  session: Session,
  body: { clientTools?: ClientTool[] | undefined; clientToolsFingerprint?: string | undefined },
): ClientTool[] | undefined {
  if (body.clientTools) {
    const problem = toolSetProblem(body.clientTools);
    if (problem) {
      throw new HttpError(400, SERVER_ERROR.clientToolsInvalid, `${problem.tool ? `Tool "${problem.tool}": ` : ''}${problem.message}.`, {
        tool: problem.tool,
      });
    }
    const fingerprint = body.clientToolsFingerprint ?? toolsFingerprint(body.clientTools);
    session.tools = { fingerprint, tools: body.clientTools };
    return body.clientTools;
  }
  if (body.clientToolsFingerprint !== undefined) {
    if (session.tools?.fingerprint !== body.clientToolsFingerprint) {
      throw new HttpError(
        409,
        SERVER_ERROR.clientToolsResendRequired,
        'The server no longer has this tool set; send clientTools in full once.',
      );
    }
    return session.tools.tools;
  }
  return undefined;
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
