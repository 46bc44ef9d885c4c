import type { Bundle } from '../i18n/i18n.js';

// Messages of the REST API's error envelope (English unless the client sends Accept-Language: es).
export const messages: Bundle = {
  en: {
    'api.no_route': 'There is no API route {method} {path}.',
    'api.key_missing': 'Send an API key in the Authorization header: "Bearer cf_live_…".',
    'api.key_invalid': 'This API key is not valid.',
    'api.key_revoked': 'This API key has been revoked.',
    'api.scope_required': 'This API key does not have the scope {scope} that this operation requires.',
    'api.method_not_allowed': 'Method {method} is not allowed on this path.',
    'api.json_required': 'Send the body as JSON (Content-Type: application/json).',
    'api.cursor_invalid': 'This cursor is not valid: pass the next_cursor of a previous page.',
    'api.idempotency_key_invalid': 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    'api.idempotency_mismatch': 'This Idempotency-Key was already used with a different request.',
    'api.idempotency_in_progress': 'A request with this Idempotency-Key is still being processed; retry shortly.',
  },
  es: {
    'api.no_route': 'No existe la ruta de la API {method} {path}.',
    'api.key_missing': 'Envía una clave de API en la cabecera Authorization: "Bearer cf_live_…".',
    'api.key_invalid': 'Esta clave de API no es válida.',
    'api.key_revoked': 'Esta clave de API fue revocada.',
    'api.scope_required': 'Esta clave de API no tiene el permiso {scope} que requiere esta operación.',
    'api.method_not_allowed': 'El método {method} no está permitido en esta ruta.',
    'api.json_required': 'Envía el cuerpo como JSON (Content-Type: application/json).',
    'api.cursor_invalid': 'Este cursor no es válido: usa el next_cursor de una página anterior.',
    'api.idempotency_key_invalid': 'Idempotency-Key debe tener de 1 a 255 caracteres ASCII visibles.',
    'api.idempotency_mismatch': 'Esta Idempotency-Key ya se usó con una solicitud distinta.',
    'api.idempotency_in_progress': 'Una solicitud con esta Idempotency-Key todavía se está procesando; reinténtalo en un momento.',
  },
};
