// Domain errors carry a stable code that doubles as an i18n key. Only
// src/web/errors.ts knows how they map to HTTP.

export type FieldErrors = Record<string, { code: string; params?: Record<string, string | number> }>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message?: string,
    readonly details?: unknown,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message ?? code);
    this.name = new.target.name;
  }
}

/** Input that fails validation; `fields` maps a form field to an error code. */
export class Invalid extends DomainError {
  constructor(
    readonly fields: FieldErrors,
    code = 'errors.invalid',
  ) {
    super(code, 'Invalid input', { fields });
  }
}
export class NotFound extends DomainError {
  constructor(code = 'errors.not_found', params?: Record<string, string | number>) {
    super(code, 'Not found', undefined, params);
  }
}
export class Conflict extends DomainError {}
export class Forbidden extends DomainError {
  constructor(code = 'errors.forbidden', params?: Record<string, string | number>) {
    super(code, 'Forbidden', undefined, params);
  }
}
export class Unauthorized extends DomainError {
  constructor(code = 'errors.unauthorized') {
    super(code, 'Authentication required');
  }
}
export class LicenseRequired extends DomainError {}
export class TooManyRequests extends DomainError {}
