import type { ApprovalDecision } from '../bridge/types.js';
import type { PendingApproval } from '../client/state.js';
import type { Strings } from './strings.js';
import { Collapsed } from './tool-card.js';

export function ApprovalCard({
  request,
  t,
  onDecide,
}: {
  request: PendingApproval;
  t: Strings;
  onDecide(decision: ApprovalDecision): void;
}) {
  const id = `wmc-approval-${request.toolCallId.replace(/[^\w-]/g, '_')}`;
  return (
    <div class="wmc-card wmc-approval" role="group" aria-labelledby={id}>
      <div class="wmc-card-head">
        <span class="wmc-card-name" id={id}>{`${t.approvalTitle} ${request.title ?? request.toolName}`}</span>
        {request.pageOrigin && <span class="wmc-card-origin">{`${t.toolFrom} ${request.pageOrigin}`}</span>}
      </div>
      <p dir="auto">{request.description}</p>
      <p>{t[`reason_${request.reason}`]}</p>
      <Collapsed label={t.toolArguments} value={request.arguments} />
      <div class="wmc-actions">
        <button type="button" class="wmc-primary" onClick={() => onDecide('allow-once')}>
          {t.allowOnce}
        </button>
        <button type="button" onClick={() => onDecide('always-allow')}>
          {t.alwaysAllow}
        </button>
        <button type="button" onClick={() => onDecide('decline')}>
          {t.decline}
        </button>
      </div>
    </div>
  );
}
