/**
 * Short sentences from tool results, for the planner agent: names, prices,
 * counts and totals read from whatever JSON a page tool returned, never the
 * JSON itself. Other people's words in results (reviews) are counted, not
 * quoted, so a page's untrusted content does not become the agent's voice.
 */
import { nameWords, readableName } from './planner-words.js';

type Json = Record<string, unknown>;

const LABEL_KEYS = ['name', 'title', 'label'];
const MONEY_KEY = /price|total|amount|cost|subtotal|discount|balance|fee/i;
const MAX_LISTED = 5;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function labelOf(value: Json): string | undefined {
  for (const key of LABEL_KEYS) if (typeof value[key] === 'string' && value[key]) return value[key] as string;
  return undefined;
}

/** The first list of records in a result: the result itself, or one of its fields. */
export function listOf(value: unknown): Json[] | undefined {
  if (Array.isArray(value)) return value.every(isRecord) ? (value as Json[]) : undefined;
  if (!isRecord(value)) return undefined;
  for (const field of Object.values(value)) if (Array.isArray(field) && field.length > 0 && field.every(isRecord)) return field as Json[];
  for (const field of Object.values(value)) if (Array.isArray(field) && field.length === 0) return [];
  return undefined;
}

function money(amount: number, currency: unknown): string {
  if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
    } catch {
      // An unknown code: fall through to the plain number.
    }
  }
  return amount.toFixed(2);
}

/** The first money-like field of a record, formatted. */
function priceOf(item: Json, currency: unknown): string | undefined {
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === 'number' && MONEY_KEY.test(key)) return money(value, item.currency ?? currency);
  }
  return undefined;
}

function itemPhrase(item: Json, currency: unknown): string {
  const label = labelOf(item) ?? String(item.id ?? 'an item');
  const quantity = typeof item.quantity === 'number' && item.quantity > 1 ? ` × ${item.quantity}` : '';
  const price = priceOf(item, currency);
  return `${label}${quantity}${price ? ` (${price})` : ''}`;
}

function listPhrase(items: Json[], currency: unknown): string {
  const shown = items.slice(0, MAX_LISTED).map((item) => itemPhrase(item, currency));
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "2 items, total $30.90 (you save $1.29)" for a record holding a list and a total. */
function collectionPhrase(value: Json): string | undefined {
  const items = listOf(value);
  if (items === undefined || typeof value.total !== 'number') return undefined;
  const count = typeof value.itemCount === 'number' ? value.itemCount : items.length;
  if (count === 0) return 'empty';
  const save = typeof value.discount === 'number' && value.discount > 0 ? ` (you save ${money(value.discount, value.currency)})` : '';
  return `${plural(count, 'item')}: ${listPhrase(items, value.currency)}; total ${money(value.total, value.currency)}${save}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function past(verb: string): string {
  if (verb.endsWith('e')) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  return `${verb}ed`;
}

/** A read tool's answer: a list found, a collection's contents, or one record. */
function describeRead(toolName: string, value: unknown, query: string): string {
  const noun = nameWords(toolName).slice(1).join(' ') || 'result';
  if (isRecord(value)) {
    const collection = collectionPhrase(value);
    if (collection === 'empty') return `Your ${noun} is empty.`;
    if (collection) return `Your ${noun} has ${collection}.`;
  }
  const items = listOf(value);
  if (items !== undefined && !(isRecord(value) && labelOf(value))) {
    const currency = isRecord(value) ? value.currency : undefined;
    const about = query ? ` for “${query}”` : '';
    if (items.length === 0) return `I found nothing${about}. Try other words, or ask me what there is.`;
    return `I found ${items.length === 1 ? 'one match' : `${items.length} matches`}${about}: ${listPhrase(items, currency)}.`;
  }
  if (isRecord(value)) return describeRecord(value);
  return typeof value === 'string' ? value.slice(0, 300) : `Done: ${readableName(toolName)}.`;
}

/** One record: its name and price, whether it is available, its own description, how many of its lists. */
function describeRecord(value: Json): string {
  const parts: string[] = [];
  const label = labelOf(value);
  const price = priceOf(value, value.currency);
  if (label) parts.push(price ? `${label} costs ${price}` : label);
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'boolean' && /^(?:in|is|has|available)/.test(key)) {
      const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
      parts.push(field ? words : `not ${words}`);
    }
  }
  let sentence = parts.length ? `${capital(parts.join(', '))}.` : '';
  if (typeof value.description === 'string') sentence += ` ${value.description.slice(0, 240)}`;
  for (const [key, field] of Object.entries(value)) {
    if (Array.isArray(field) && field.length > 0 && field.every(isRecord))
      sentence += ` It has ${plural(field.length, key.replace(/s$/, ''))}.`;
  }
  return sentence.trim() || 'Done.';
}

/** An action tool's answer: what it did, then the state it reports afterwards. */
function describeAction(toolName: string, value: unknown): string {
  const [verb = ''] = nameWords(toolName);
  const sentences: string[] = [];
  let headline: string | undefined;
  let ids = '';
  if (isRecord(value)) {
    for (const [key, field] of Object.entries(value)) {
      if (headline === undefined && isRecord(field) && labelOf(field)) headline = labelOf(field);
      // A string under a past-tense key says what was done: `applied: "10% off"`.
      else if (headline === undefined && typeof field === 'string' && /ed$/.test(key) && field.length <= 80) headline = field;
      // A new record's id at the top of an action's result (an order number) is worth telling; nested ids are not.
      if (typeof field === 'string' && /id$/i.test(key)) {
        ids += ` Your ${
          key
            .replace(/Id$/i, '')
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toLowerCase() || 'reference'
        } number is ${field}.`;
      }
    }
  }
  const name = readableName(toolName);
  const isVerb = nameWords(toolName).length > 1 && verb.length > 1;
  sentences.push(headline && isVerb ? `Done: ${past(verb)} ${headline}.` : `Done: ${name}.`);
  if (ids) sentences.push(ids.trim());
  if (isRecord(value)) {
    for (const [key, field] of Object.entries(value)) {
      const collection = isRecord(field) ? collectionPhrase(field) : undefined;
      if (collection === 'empty') sentences.push(`Your ${key} is now empty.`);
      else if (collection) sentences.push(`Your ${key} now has ${collection}.`);
    }
    if (typeof value.total === 'number' && !listOf(value)?.length) sentences.push(`Total: ${money(value.total, value.currency)}.`);
    else if (typeof value.total === 'number') {
      const items = listOf(value)!;
      sentences.push(`${capital(listPhrase(items, value.currency))}; total ${money(value.total, value.currency)}.`);
    }
  }
  return sentences.join(' ');
}

/** The person-facing sentence for one tool result. */
export function describeResult(toolName: string, value: unknown, isRead: boolean, query = ''): string {
  return isRead ? describeRead(toolName, value, query) : describeAction(toolName, value);
}

/** A failed call: a decline said plainly, anything else with the tool's own reason. */
export function describeFailure(toolName: string, error: string): string {
  const name = readableName(toolName);
  if (/declined/i.test(error)) return `Okay, you declined, so ${name} did not run. Nothing was changed.`;
  const reason = error.replace(/^Tool "[^"]*" failed:\s*/, '').slice(0, 200);
  return `Sorry, ${name} did not work: ${reason}.`.replace(/\.\.$/, '.');
}
