// express-session store on Knex, for both engines. It never writes on a
// plain page view: `touch` only extends the expiry once the stored one has
// used up a tenth of its lifetime.
import session from 'express-session';
import type { Knex } from 'knex';

type Sess = session.SessionData & { passport?: { user?: number } };

export class KnexSessionStore extends session.Store {
  private readonly lastTouch = new Map<string, number>();

  constructor(
    private readonly db: Knex,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  private expiry(sess: session.SessionData): number {
    const exp = sess.cookie?.expires;
    return exp ? new Date(exp).getTime() : this.now() + this.ttlMs;
  }

  override get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void {
    this.db('sessions')
      .where({ sid })
      .first('sess', 'expires_at')
      .then((row) => {
        if (!row || Number(row.expires_at) <= this.now()) return cb(null, null);
        this.lastTouch.set(sid, Number(row.expires_at));
        cb(null, JSON.parse(row.sess));
      }, cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const s = sess as Sess;
    const expiresAt = this.expiry(sess);
    const userId = typeof s.passport?.user === 'number' ? s.passport.user : null;
    this.db('sessions')
      .insert({ sid, sess: JSON.stringify(sess), user_id: userId, expires_at: expiresAt })
      .onConflict('sid')
      .merge(['sess', 'user_id', 'expires_at'])
      .then(() => {
        this.lastTouch.set(sid, expiresAt);
        cb?.();
      }, (e) => cb?.(e));
  }

  override touch(sid: string, sess: session.SessionData, cb?: () => void): void {
    const expiresAt = this.expiry(sess);
    const stored = this.lastTouch.get(sid) ?? 0;
    if (expiresAt - stored < this.ttlMs / 10) return cb?.();
    this.db('sessions')
      .where({ sid })
      .update({ expires_at: expiresAt })
      .then(() => {
        this.lastTouch.set(sid, expiresAt);
        cb?.();
      }, () => cb?.());
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.lastTouch.delete(sid);
    this.db('sessions').where({ sid }).delete().then(() => cb?.(), (e) => cb?.(e));
  }

  /** Removes expired rows; called by the jobs registry. */
  async prune(): Promise<number> {
    this.lastTouch.clear();
    return this.db('sessions').where('expires_at', '<=', this.now()).delete();
  }
}
