// What the sandbox phone shows: the emulator's log for one customer turned
// into bubbles (text, filled templates with their buttons, interactive
// buttons and lists, media placeholders) for public/js/sandbox-phone.js.
import { isObj, str, arr, type Json } from './json-read.js';
import type { LogEntry, Sandbox } from './sandbox/index.js';
import { fillVariables } from './templates-store.js';

export type PhoneButton = { kind: 'reply' | 'list' | 'quick_reply'; id: string; title: string };
export type PhoneBubble = {
  wamid: string;
  direction: 'in' | 'out';
  type: string;
  at: number;
  status: string;
  header: string | null;
  text: string;
  footer: string | null;
  buttons: PhoneButton[];
  /**
   * The customer's own messages carry WhatsApp's ticks on their phone:
   * 'delivered' (✓✓ grey) once the business received them, 'read' (✓✓ blue)
   * after the business marked them read (mark-read from the inbox). Null on
   * the business's messages.
   */
  ticks: 'delivered' | 'read' | null;
};

const o = (v: unknown): Json => (isObj(v) ? v : {});

function templateBubble(sb: Sandbox, phoneNumberId: string, body: Json): Pick<PhoneBubble, 'header' | 'text' | 'footer' | 'buttons'> {
  const t = o(body.template);
  const name = str(t.name) ?? '';
  const lang = str(o(t.language).code) ?? '';
  const waba = sb.state.numbers.get(phoneNumberId)?.wabaId ?? '';
  const def = sb.state.findTemplate(waba, name, lang);
  const params = arr(t.components).map(o);
  const values = (type: string) => arr(params.find((c) => c.type === type)?.parameters).map((p) => str(o(p).text) ?? '');
  const comp = (type: string) => def?.components.find((c) => String(c.type).toUpperCase() === type);
  const buttons = (comp('BUTTONS')?.buttons ?? []).filter((b) => b.type === 'QUICK_REPLY')
    .map((b) => ({ kind: 'quick_reply' as const, id: b.text ?? '', title: b.text ?? '' }));
  const head = comp('HEADER');
  return {
    header: head?.text ? fillVariables(head.text, values('header')) : head?.format ? `[${head.format}]` : null,
    text: comp('BODY')?.text ? fillVariables(comp('BODY')!.text!, values('body')) : `[${name}]`,
    footer: comp('FOOTER')?.text ?? null,
    buttons,
  };
}

function interactiveBubble(i: Json): Pick<PhoneBubble, 'header' | 'text' | 'footer' | 'buttons'> {
  const action = o(i.action);
  const buttons: PhoneButton[] = i.type === 'list'
    ? arr(action.sections).flatMap((s) => arr(o(s).rows)).map((r) => ({ kind: 'list' as const, id: str(o(r).id) ?? '', title: str(o(r).title) ?? '' }))
    : arr(action.buttons).map((b) => ({ kind: 'reply' as const, id: str(o(o(b).reply).id) ?? '', title: str(o(o(b).reply).title) ?? '' }));
  return { header: str(o(i.header).text) ?? null, text: str(o(i.body).text) ?? '', footer: str(o(i.footer).text) ?? null, buttons };
}

function outboundContent(sb: Sandbox, e: LogEntry): Pick<PhoneBubble, 'header' | 'text' | 'footer' | 'buttons'> {
  const b = o(e.body);
  const none = { header: null, footer: null, buttons: [] };
  if (e.type === 'text') return { ...none, text: str(o(b.text).body) ?? '' };
  if (e.type === 'template') return templateBubble(sb, e.phoneNumberId, b);
  if (e.type === 'interactive') return interactiveBubble(o(b.interactive));
  const media = o(b[e.type]);
  return { ...none, text: `[${e.type}] ${str(media.caption) ?? str(media.filename) ?? ''}`.trim() };
}

function inboundText(e: LogEntry): string {
  const m = o(e.body);
  if (e.type === 'text') return str(o(m.text).body) ?? '';
  if (e.type === 'interactive') {
    const i = o(m.interactive);
    return str(o(i.button_reply).title) ?? str(o(i.list_reply).title) ?? '';
  }
  if (e.type === 'button') return str(o(m.button).text) ?? '';
  return `[${e.type}]`;
}

export function phoneBubbles(sb: Sandbox, waId: string): PhoneBubble[] {
  return sb.state.messagesFor(waId).map((e) => {
    const base = { wamid: e.wamid, direction: e.direction, type: e.type, at: e.at, status: e.status };
    if (e.direction === 'in') return { ...base, header: null, text: inboundText(e), footer: null, buttons: [], ticks: e.status === 'read' ? 'read' as const : 'delivered' as const };
    return { ...base, ...outboundContent(sb, e), ticks: null };
  });
}
