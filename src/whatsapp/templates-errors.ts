// Meta's answers to template management (create, edit, delete, sample
// upload) as form errors in the user's language, always with Meta's code.
import { Invalid } from '../errors.js';
import { MetaApiError, WhatsAppTransportError } from './errors.js';
import { metaErrorKey } from './meta-errors.js';

const BY_SUBCODE: Record<number, { field: string; code: string }> = {
  2388024: { field: 'name', code: 'whatsapp.templates.duplicate' },
  2388019: { field: '_', code: 'whatsapp.templates.meta_cap' },
  2388299: { field: 'body', code: 'whatsapp.templates.vars_edges' },
  2388293: { field: 'body', code: 'whatsapp.templates.vars_ratio' },
};

/** Invalid for a Meta or transport error; anything else is rethrown unchanged. */
export function templateMetaError(err: unknown, field = '_'): Invalid {
  if (err instanceof MetaApiError) {
    const known = err.subcode === undefined ? undefined : BY_SUBCODE[err.subcode];
    if (known) return new Invalid({ [known.field]: { code: known.code, params: { code: err.code } } });
    const code = err.code === 100 ? 'whatsapp.templates.meta_rejected' : metaErrorKey(err.code);
    return new Invalid({ [field]: { code, params: { code: err.code, details: err.details ?? err.message } } });
  }
  if (err instanceof WhatsAppTransportError) return new Invalid({ [field]: { code: 'whatsapp.templates.meta_no_answer', params: { details: err.kind } } });
  throw err;
}
