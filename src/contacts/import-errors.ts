// Why a contacts file is refused as a whole. Raised as `Invalid` on the
// `file` field so the upload form re-renders with the message under the file
// input (web/errors.ts maps Invalid to 422). Codes double as i18n keys.
import { Invalid } from '../errors.js';

export type ImportErrorCode =
  | 'contacts.import.empty_file'
  | 'contacts.import.header_only'
  | 'contacts.import.not_tabular'
  | 'contacts.import.xls_not_supported'
  | 'contacts.import.unsupported_encoding'
  | 'contacts.import.xlsx_unreadable'
  | 'contacts.import.malformed_csv'
  | 'contacts.import.no_phone_column';

export function importError(code: ImportErrorCode, params?: Record<string, string | number>): Invalid {
  return new Invalid({ file: { code, params } }, code);
}

/** The code of an error raised by importError, else undefined. */
export function importErrorCode(err: unknown): ImportErrorCode | undefined {
  if (!(err instanceof Invalid)) return undefined;
  const code = err.fields.file?.code;
  return code?.startsWith('contacts.import.') ? (code as ImportErrorCode) : undefined;
}
