import type { ApprovalDecision, ApprovalRequest } from '../bridge/types.js';
import type { PendingApproval } from '../client/state.js';
import type { Strings } from './strings.js';
import { hostOf, readableTitle, ValueList } from './tool-card.js';

interface Props {
  request: PendingApproval;
  t: Strings;
  /** The page's one line for the person ("Pay $12.90 to Northbound Coffee"), if it gave one. */
  summary?: string;
  /** The host lets a consequential or destructive tool be always allowed. */
  alwaysAllowConsequential?: boolean;
  onDecide(decision: ApprovalDecision): void;
}

/** The page's summary for a request, if the host supplied `approvalSummary`; a throwing host callback is ignored. */
export function summaryFor(request: ApprovalRequest, fn?: (request: ApprovalRequest) => string | undefined): string | undefined {
  try {
    const text = fn?.(request);
    return typeof text === 'string' && text.trim() ? text.trim().slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One card per call asking the person: the tool's shopper-facing title, the
 * page's summary, the arguments as labelled values and the site's host. The
 * model-facing description stays out. "Always allow" is only offered where
 * remembering is safe: tools the host itself asked to confirm, or any tool
 * when the host opts in.
 */
export function ApprovalCard({ request, t, summary, alwaysAllowConsequential, onDecide }: Props) {
  const id = `wmc-approval-${request.toolCallId.replace(/[^\w-]/g, '_')}`;
  const host = hostOf(request.pageOrigin);
  const canRemember = request.reason === 'policy' || alwaysAllowConsequential === true;
  return (
    <div class="wmc-card wmc-approval" role="group" aria-labelledby={id} data-approval={request.toolCallId}>
      <div class="wmc-card-head">
        <span class="wmc-card-name" id={id} dir="auto">
          {readableTitle(request.title, request.toolName)}
        </span>
        {host && <span class="wmc-card-origin">{`${t.approvalOn} ${host}`}</span>}
      </div>
      {summary && (
        <p class="wmc-summary" dir="auto">
          {summary}
        </p>
      )}
      <ValueList value={request.arguments} />
      <p class="wmc-reason">{t[`reason_${request.reason}`]}</p>
      <div class="wmc-actions">
        <button type="button" class="wmc-primary" onClick={() => onDecide('allow-once')}>
          {t.allowOnce}
        </button>
        {canRemember && (
          <button type="button" onClick={() => onDecide('always-allow')}>
            {t.alwaysAllow}
          </button>
        )}
        <button type="button" onClick={() => onDecide('decline')}>
          {t.decline}
        </button>
      </div>
    </div>
  );
}
