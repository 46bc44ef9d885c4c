// GET /api/v1/openapi.json: public, so tools can fetch it without a key.
// Declared through the registry like every route, so it documents itself.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { openApiDocument } from './openapi.js';
import type { ApiRegistry } from './registry.js';

const PACKAGE_JSON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');

function appVersion(): string {
  try {
    return String((JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version?: string }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

export function registerOpenApiRoute(registry: ApiRegistry, deps: Deps): void {
  const version = appVersion();
  let cached: { brand: string; doc: Record<string, unknown> } | undefined;
  registry.route({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI document',
    tags: ['meta'],
    scope: null,
    public: true,
    response: z.record(z.string(), z.unknown()),
    handler: () => {
      // Built on first use (every route is declared by then) and again if the brand changes.
      const brand = deps.brand.get().name;
      if (cached?.brand !== brand) {
        cached = { brand, doc: openApiDocument(registry.routes, { brandName: brand, serverUrl: `${deps.config.publicUrl}/api/v1`, appVersion: version }) };
      }
      return cached.doc;
    },
  });
}
