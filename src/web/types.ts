// Request/response additions every route can rely on.
import type { Actor } from '../audit/service.js';
import type { Audit } from '../audit/context.js';
import type { Locale, Params, T } from '../i18n/i18n.js';
import type { User as AppUser } from '../users/queries.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user is our User.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AppUser {}
    interface Request {
      t: T;
      locale: Locale;
      actor: Actor;
      audit: Audit;
      flash(kind: FlashKind, key: string, params?: Params): void;
    }
    interface Response {
      /** Renders `views/<view>.ejs` inside a layout (default `layouts/app`). */
      page(view: string, data?: Record<string, unknown>, opts?: { layout?: string; status?: number }): void;
      /** Marks the form view to re-render (422) if the handler throws Invalid. */
      form(view: string, data?: Record<string, unknown>, opts?: { layout?: string }): void;
    }
  }
}

export type FlashKind = 'success' | 'error' | 'info' | 'warning';
export type FlashMessage = { kind: FlashKind; text: string };

declare module 'express-session' {
  interface SessionData {
    flash?: Array<{ kind: FlashKind; key: string; params?: Params }>;
    locale?: Locale;
    pending2fa?: { userId: number; next: string; at: number };
    returnTo?: string;
  }
}
