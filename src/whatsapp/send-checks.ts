// Everything decided BEFORE a message goes to Meta: who and where, whether the
// number can send, whether the contact opted out, the 24-hour window and the
// template's approval. Each refusal is a DomainError whose code is an i18n key.
import type { Deps } from '../deps.js';
import { DomainError, Invalid, NotFound } from '../errors.js';
import { conversationById, type ConversationRow } from './conversation-store.js';
import { numberById, type WaNumber } from './numbers-queries.js';
import { componentOf, templateById, variablesOf, type LocalTemplate } from './templates-store.js';
import { contactById, type ChannelContact } from './wa-contacts.js';
import { windowState, type WindowState } from './window.js';

export type TargetRef = { conversationId: number } | { contactId: number; numberId: number };

export type Target = {
  contact: ChannelContact;
  number: WaNumber;
  /** Absent when the contact never talked on this number (created at send time). */
  conversation: ConversationRow | undefined;
  window: WindowState;
};

async function conversationOf(deps: Deps, contactId: number, numberId: number): Promise<ConversationRow | undefined> {
  const row = await deps.db('conversations').where({ contact_id: contactId, number_id: numberId }).first('id');
  return row ? conversationById(deps.db, Number(row.id)) : undefined;
}

export async function resolveTarget(deps: Deps, ref: TargetRef): Promise<Target> {
  let conversation: ConversationRow | undefined;
  let contactId: number;
  let numberId: number;
  if ('conversationId' in ref) {
    conversation = await conversationById(deps.db, ref.conversationId);
    if (!conversation) throw new NotFound('whatsapp.conversation_not_found');
    contactId = conversation.contact_id;
    numberId = conversation.number_id;
  } else {
    contactId = ref.contactId;
    numberId = ref.numberId;
    conversation = await conversationOf(deps, contactId, numberId);
  }
  const [contact, number] = await Promise.all([contactById(deps.db, contactId), numberById(deps.db, numberId)]);
  if (!contact) throw new NotFound('whatsapp.contact_not_found');
  if (!number) throw new NotFound('whatsapp.number_not_found');
  return { contact, number, conversation, window: windowState(conversation?.last_inbound_at ?? null, deps.clock.now()) };
}

/** The number must be active (not disabled, token not known to be invalid). */
export function assertNumberUsable(n: WaNumber): void {
  if (n.status !== 'active') throw new DomainError('whatsapp.number_unavailable', 'Number unavailable', { status: n.status }, { number: n.label });
}

export function assertNotOptedOut(c: ChannelContact): void {
  if (c.optIn === 'opted_out') throw new DomainError('whatsapp.opted_out', 'Contact opted out', undefined, { name: c.displayName });
}

/** Free-form messages only inside the customer-service window. */
export function assertWindowOpen(t: Target): void {
  if (!t.window.open) throw new DomainError('whatsapp.window_closed', 'Window closed', { closes_at: t.window.closesAt });
}

export type TemplateParams = string[] | Record<string, string>;

/** The template must exist for this number's WABA and be APPROVED; the values must fill every variable. */
export async function approvedTemplate(deps: Deps, templateId: number, n: WaNumber): Promise<LocalTemplate> {
  const t = await templateById(deps.db, templateId);
  if (!t || t.wabaId !== n.wabaId) throw new NotFound('whatsapp.template_not_found');
  if (t.status !== 'APPROVED') throw new DomainError('whatsapp.template_not_approved', 'Template not approved', { status: t.status }, { name: t.name, status: t.status });
  return t;
}

/** Values for the body (and a text header) in the shape Meta expects for this template. */
export function checkTemplateParams(t: LocalTemplate, params: TemplateParams | undefined, headerText: string | undefined): void {
  const vars = variablesOf(componentOf(t, 'BODY')?.text);
  const given = params ?? [];
  const missing = t.parameterFormat === 'named'
    ? vars.filter((v) => !String((given as Record<string, string>)[v] ?? '').trim())
    : vars.filter((_v, i) => !String((Array.isArray(given) ? given[i] : undefined) ?? '').trim());
  if (missing.length > 0) throw new Invalid({ params: { code: 'whatsapp.template_params_missing', params: { names: missing.join(', ') } } });
  const header = componentOf(t, 'HEADER');
  const needsHeader = header && (header.format ?? 'TEXT') === 'TEXT' && variablesOf(header.text).length > 0;
  if (needsHeader && !headerText?.trim()) throw new Invalid({ header: { code: 'whatsapp.template_header_missing' } });
}
