// What a message *says*, read from its stored payload. Inbound rows hold the
// webhook parser's normalised content (`InboundContent`); outbound rows may
// hold Meta's wire body (`{type, text: {body}}`, `{template: {...}}`). Both
// shapes are read, and anything unreadable degrades to a labelled fallback
// instead of an error.
import type { MessageRow } from './message-queries.js';

type Obj = Record<string, unknown>;

export function at(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Obj)[k] : undefined;
  return v;
}

export function str(...values: unknown[]): string | null {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_TYPES)[number];

export function isMediaType(t: string): t is MediaKind {
  return (MEDIA_TYPES as readonly string[]).includes(t);
}

/** Caption, filename and voice flag of a media message, in either payload shape. */
export function mediaInfo(m: MessageRow, kind: MediaKind): { caption: string | null; fileName: string | null; mime: string | null; voice: boolean } {
  const p = m.payload;
  const inner = (at(p, 'media') ?? at(p, kind) ?? {}) as Obj;
  return {
    caption: str(inner.caption, m.body),
    fileName: str(m.media?.fileName, inner.filename),
    mime: str(m.media?.mimeType, inner.mimeType, inner.mime_type),
    voice: inner.voice === true,
  };
}

export type LocationView = { lat: string; lng: string; name: string | null; address: string | null; href: string | null };

/** Coordinates as numbers are required for the link; no map tiles are ever loaded. */
export function locationOf(p: Obj): LocationView | null {
  const loc = (at(p, 'location') ?? p) as Obj;
  const lat = Number(loc.latitude);
  const lng = Number(loc.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  return {
    lat: lat.toFixed(6), lng: lng.toFixed(6), name: str(loc.name), address: str(loc.address),
    href: `https://www.openstreetmap.org/?mlat=${lat.toFixed(6)}&mlon=${lng.toFixed(6)}#map=16/${lat.toFixed(6)}/${lng.toFixed(6)}`,
  };
}

export type SharedContactView = { name: string | null; phones: string[] };

export function contactsOf(p: Obj): SharedContactView[] {
  const list = Array.isArray(p.contacts) ? (p.contacts as Obj[]) : [];
  return list.slice(0, 20).map((c) => {
    const phones = Array.isArray(c.phones) ? (c.phones as Obj[]) : [];
    return {
      name: str(c.name, at(c, 'name.formatted_name'), at(c, 'raw.name.formatted_name')),
      phones: phones.map((ph) => str(ph.phone, ph.waId, ph.wa_id)).filter((x): x is string => !!x).slice(0, 10),
    };
  });
}

export type ReplyView = { kind: 'button_reply' | 'list_reply' | 'nfm_reply' | 'button' | 'interactive_out'; title: string | null; description: string | null; options: string[] };

/** A customer's tap on a reply button, list row or template quick reply; or an interactive message we sent. */
export function replyOf(m: MessageRow): ReplyView {
  const p = m.payload;
  if (m.type === 'button') return { kind: 'button', title: str(p.text, at(p, 'button.text'), m.body), description: null, options: [] };
  const reply = (p.reply ?? null) as Obj | null;
  if (reply) {
    const kind = reply.kind === 'list_reply' || reply.kind === 'nfm_reply' ? reply.kind : 'button_reply';
    return { kind, title: str(reply.title, reply.name, m.body), description: str(reply.description, reply.body), options: [] };
  }
  const wire = (at(p, 'interactive') ?? {}) as Obj;
  const wireReply = (wire.button_reply ?? wire.list_reply) as Obj | undefined;
  if (wireReply) return { kind: wire.list_reply ? 'list_reply' : 'button_reply', title: str(wireReply.title), description: str(wireReply.description), options: [] };
  return { kind: 'interactive_out', title: str(m.body, p.body, at(wire, 'body.text')), description: null, options: optionTitles(p, wire) };
}

/** Button titles (send-service `{buttons}` or wire `action.buttons`) or list row titles (`sections[].rows[]`). */
function optionTitles(p: Obj, wire: Obj): string[] {
  const titles = (list: unknown, path: string) => (Array.isArray(list) ? (list as Obj[]).map((b) => str(at(b, path), b.title)) : []);
  const sections = (Array.isArray(p.sections) ? p.sections : at(wire, 'action.sections') ?? []) as Obj[];
  const rows = Array.isArray(sections) ? sections.flatMap((s) => titles(s.rows, 'title')) : [];
  const all = [...titles(p.buttons, 'title'), ...titles(at(wire, 'action.buttons'), 'reply.title'), ...rows];
  return all.filter((x): x is string => !!x).slice(0, 10);
}

export type ReactionView = { emoji: string | null; targetWamid: string | null };

export function reactionOf(p: Obj): ReactionView {
  return { emoji: str(p.emoji, at(p, 'reaction.emoji')), targetWamid: str(p.messageId, at(p, 'reaction.message_id')) };
}

/** The template's name and the body as it was sent (stored body, else the wire body's text parameters). */
export function templateOf(m: MessageRow): { name: string; body: string | null; params: string[] } {
  const tpl = (at(m.payload, 'template') ?? m.payload) as Obj;
  const given = m.payload.params;
  const params: string[] = Array.isArray(given) ? given.map(String) : given && typeof given === 'object' ? Object.values(given as Obj).map(String) : [];
  const components = Array.isArray(tpl.components) ? (tpl.components as Obj[]) : [];
  for (const c of components) {
    if (String(c.type).toLowerCase() !== 'body' || !Array.isArray(c.parameters)) continue;
    for (const prm of c.parameters as Obj[]) {
      const v = str(prm.text);
      if (v) params.push(v);
    }
  }
  return { name: str(m.templateName, tpl.name) ?? '?', body: str(m.body, m.payload.renderedBody, m.payload.body), params };
}

export function systemTextOf(m: MessageRow): string | null {
  return str(m.payload.body, at(m.payload, 'system.body'), m.body);
}

export function unsupportedOf(m: MessageRow): { originalType: string | null; code: number | null } {
  const p = m.payload;
  const errors = (at(p, 'raw.errors') ?? p.errors ?? []) as Obj[];
  const code = Array.isArray(errors) && errors[0] ? Number(errors[0].code) : m.errorCode;
  return { originalType: str(p.originalType), code: Number.isFinite(code) ? (code as number) : null };
}
