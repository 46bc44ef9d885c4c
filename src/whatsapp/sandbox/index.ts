// Public surface of the Graph API emulator.
export { createSandboxServer, type Sandbox, type SimulatedInbound } from './server.js';
export type { InboundSpec } from './customer.js';
export { SANDBOX_DEFAULTS, type ErrorRule, type SandboxNumber, type SandboxOptions, type SandboxRoute, type StatusWebhookOptions } from './options.js';
export { SandboxState, type LogEntry, type StoredTemplate, type StoredMedia } from './state.js';
export { httpStatusFor } from './http.js';
export { startReceiver, type Receiver, type ReceivedWebhook } from './receiver.js';
