// One CloudApiClient (one keep-alive pool) per Graph base URL. A number
// normally talks to CHATFLOW_WHATSAPP_GRAPH_URL; the built-in sandbox number
// (and tests) carry their own URL. Same client code either way.
import type { Deps } from '../deps.js';
import { CloudApiClient } from './cloud-api.js';

const clients = new Map<string, CloudApiClient>();

export function graphUrlOf(deps: Pick<Deps, 'config'>, n: { graphUrl: string | null }): string {
  return (n.graphUrl ?? deps.config.graphUrl).replace(/\/+$/, '');
}

export function clientFor(deps: Pick<Deps, 'config'>, n: { graphUrl: string | null }): CloudApiClient {
  const url = graphUrlOf(deps, n);
  const key = `${url}|${deps.config.apiVersion}`;
  let c = clients.get(key);
  if (!c) {
    c = new CloudApiClient({ graphUrl: url, apiVersion: deps.config.apiVersion });
    clients.set(key, c);
  }
  return c;
}

/** Closes every pool (shutdown, end of a test file). */
export async function closeGraphClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.close()));
}
