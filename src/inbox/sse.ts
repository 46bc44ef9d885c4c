// Live inbox updates over Server-Sent Events. The channel emits facts on the
// event bus (message.received/sent/status, conversation.updated); each open
// /inbox/events stream gets those its user may see, as small JSON notices —
// the page then fetches the rendered fragments it needs (public/js/inbox.js).
// A comment line every 25 s keeps proxies from closing an idle stream and is
// when a user's role and active flag are re-read, so a deactivated or demoted
// user stops receiving.
import type { Request, Response, Router } from 'express';
import type { Deps } from '../deps.js';
import type { EventMap } from '../events.js';
import { roleHas, type Role } from '../users/permissions.js';
import { userById } from '../users/queries.js';
import { read } from './http.js';

export const HEARTBEAT_MS = 25_000;
const RELAYED = ['message.received', 'message.sent', 'message.status', 'conversation.updated'] as const;
type Relayed = (typeof RELAYED)[number];

type Client = { res: Response; userId: number; role: Role };

export class InboxStream {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: Pick<Deps, 'db' | 'events' | 'log'>, private readonly heartbeatMs = HEARTBEAT_MS) {
    for (const name of RELAYED) deps.events.on(name, (payload) => this.broadcast(name, payload));
  }

  get size(): number {
    return this.clients.size;
  }

  add(req: Request, res: Response): void {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx would otherwise buffer the stream
    });
    res.flushHeaders();
    res.write('retry: 5000\n: connected\n\n');
    const client: Client = { res, userId: req.user!.id, role: req.user!.role };
    this.clients.add(client);
    this.startTimer();
    req.on('close', () => this.remove(client));
  }

  private remove(client: Client): void {
    this.clients.delete(client);
    if (!client.res.writableEnded) client.res.end();
    if (this.clients.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.heartbeat(), this.heartbeatMs);
    this.timer.unref();
  }

  private write(client: Client, chunk: string): void {
    if (client.res.destroyed || client.res.writableEnded) return this.remove(client);
    client.res.write(chunk);
  }

  broadcast<K extends Relayed>(name: K, payload: EventMap[K]): void {
    const chunk = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of this.clients) if (roleHas(c.role, 'inbox:read')) this.write(c, chunk);
  }

  /** Keeps connections alive and drops users who lost access since they connected. */
  async heartbeat(): Promise<void> {
    for (const c of [...this.clients]) {
      try {
        const u = await userById(this.deps.db, c.userId);
        if (!u || !u.active || !roleHas(u.role, 'inbox:read')) {
          this.remove(c);
          continue;
        }
        c.role = u.role;
        this.write(c, ': ping\n\n');
      } catch (err) {
        this.deps.log.warn({ err }, 'inbox stream heartbeat failed');
      }
    }
  }

  close(): void {
    for (const c of [...this.clients]) this.remove(c);
  }
}

export function sseRoutes(r: Router, deps: Deps): InboxStream {
  const stream = new InboxStream(deps);
  r.get('/inbox/events', ...read, (req, res) => stream.add(req, res));
  return stream;
}
