/**
 * The bridge's side of the registration watch (registrations.ts): a call about
 * to be made is armed under its name, and while it is, only the registrations
 * the person approved may run. Here, not in registrations.ts, because only the
 * panel arms calls: the small loader, which installs the watch, need not carry it.
 */
import type { CallTicket, CapturedRegistration, RegistrationRegistry } from './registrations.js';

export function armCall(
  registry: RegistrationRegistry,
  name: string,
  accepts: ReadonlySet<CapturedRegistration>,
): { ticket: CallTicket; release(): void } {
  registry.check ??= (record) => {
    const tickets = registry.armed.get(record.name);
    if (tickets && tickets.size > 0 && ![...tickets].some((armed) => armed.accepts.has(record))) {
      for (const armed of tickets) armed.refused = true;
      throw new Error('changed since approved; not run');
    }
  };
  const ticket: CallTicket = { accepts, refused: false };
  const tickets = registry.armed.get(name) ?? new Set<CallTicket>();
  registry.armed.set(name, tickets);
  tickets.add(ticket);
  return {
    ticket,
    release() {
      tickets.delete(ticket);
      if (tickets.size === 0 && registry.armed.get(name) === tickets) registry.armed.delete(name);
    },
  };
}
