// A typed in-process event bus. Features emit facts; listeners (audit,
// outgoing webhooks, live updates) subscribe without the emitter knowing them.
import { EventEmitter } from 'node:events';

export interface EventMap {
  'user.created': { userId: number };
  'user.updated': { userId: number };
  'user.logged_in': { userId: number };
  // WhatsApp channel → inbox live updates, outgoing webhooks, analytics.
  'message.received': { messageId: number; conversationId: number; contactId: number; numberId: number };
  'message.sent': { messageId: number; conversationId: number; contactId: number; numberId: number };
  'message.status': { messageId: number; conversationId: number; status: string; errorCode?: number | null };
  'conversation.updated': { conversationId: number };
  'contact.opted_out': { contactId: number; source: string };
  'template.updated': { templateId: number; status: string };
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<K extends keyof EventMap>(name: K, payload: EventMap[K]): void {
    this.emitter.emit(name as string, payload);
  }
  on<K extends keyof EventMap>(name: K, listener: (payload: EventMap[K]) => void): () => void {
    this.emitter.on(name as string, listener);
    return () => this.emitter.off(name as string, listener);
  }
}
