// A temporary password waits in the session only until the next page shows
// it once (post/redirect/get, so a reload never re-issues one).
import 'express-session';

declare module 'express-session' {
  interface SessionData {
    issuedPassword?: { userId: number; password: string; reason: 'created' | 'reset' };
  }
}

export {};
