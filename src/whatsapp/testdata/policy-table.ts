// The §3.2 policy table transcribed independently of errors.ts, so tests
// compare two sources instead of the implementation with itself.
import type { ErrorAction } from '../errors.js';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** cloud-api.md §3.2, transcribed independently of errors.ts. */
export const EXPECTED: Record<ErrorAction, number[]> = {
  retry: [130429, 4, 80007, 131000, 131016, 133004, 1, 2, 131057],
  retry_recipient_later: [131056, 131049],
  stop_number: [131048, 190, 0, 3, 10, ...range(200, 299), 131005, 368, 131031, 130497, 131042, 131064, 131063, 133010],
  never_retry: [131050, 131047, 470, 131026, 131021, 130472, 130403],
  fix_request: [
    131051, 132000, 132001, 132005, 132007, 132012, 132018, 132015, 132016, 100, 131008, 131009, 131052, 131053, 131062, 2388019,
  ],
};

export const EXPECTED_BY_CODE = new Map<number, ErrorAction>(
  Object.entries(EXPECTED).flatMap(([action, codes]) => codes.map((c) => [c, action as ErrorAction] as const)),
);
