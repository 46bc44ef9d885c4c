// What /account keeps in the session between requests: the TOTP secret being
// enrolled (never stored on the user until a code confirms it) and recovery
// codes waiting to be shown exactly once.
import 'express-session';

declare module 'express-session' {
  interface SessionData {
    totpEnrol?: { secret: string; at: number };
    recoveryCodesOnce?: string[];
  }
}

export {};
