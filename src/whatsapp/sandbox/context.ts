// What every emulator route receives.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BucketMap } from './limits.js';
import type { SandboxState } from './state.js';
import type { StatusReporter } from './statuses.js';

export interface Runtime {
  state: SandboxState;
  reporter: StatusReporter;
  throughput: BucketMap | undefined;
  pair: BucketMap | undefined;
  enforceWindow: boolean;
  windowErrors: 'sync' | 'async';
  toWaId: (to: string) => string;
  /** http://127.0.0.1:PORT, known once listening. */
  baseUrl: string;
}

export interface Ctx {
  rt: Runtime;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  version: string;
  /** Path segments after the version: [id, edge?]. */
  id: string;
  edge: string | undefined;
}
