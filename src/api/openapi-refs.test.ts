// The document generator on its own: shared and recursive zod schemas must
// still give a document whose every $ref resolves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { openApiDocument } from './openapi.js';
import type { AnyRouteDef } from './registry.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) (k === '$ref' ? out.push(String(v)) : refsOf(v, out));
  return out;
}

function resolve(doc: Json, ref: string): unknown {
  return ref.slice(2).split('/').reduce<unknown>((n, p) => (n && typeof n === 'object' ? (n as Json)[p] : undefined), doc);
}

const route = (path: string, body: z.ZodType, response: z.ZodType): AnyRouteDef =>
  ({ method: 'post', path, summary: path, tags: ['t'], scope: null, body, response, handler: () => ({}) }) as AnyRouteDef;

describe('OpenAPI generation of shared and recursive schemas', () => {
  it('hoists $defs and self-references into components, so every $ref resolves', () => {
    const Tag = z.object({ name: z.string() }).meta({ id: 'Tag' });
    type Node = { op: string; children: Node[] };
    const Node: z.ZodType<Node> = z.lazy(() => z.object({ op: z.string(), children: z.array(Node) }));
    const Wrapper = z.object({ tree: Node, tags: z.array(Tag) });
    const doc = openApiDocument([route('/a', Node, Tag), route('/b', Wrapper, Node)], { brandName: 'X', serverUrl: 'http://x', appVersion: '1' }) as Json;
    const refs = refsOf(doc);
    assert.ok(refs.length >= 4);
    for (const ref of refs) {
      assert.ok(ref.startsWith('#/components/'), ref);
      assert.ok(resolve(doc, ref) !== undefined, `unresolved ${ref}`);
    }
    assert.ok(doc.components.schemas.Tag.properties.name);
    const a = doc.paths['/a'].post.requestBody.content['application/json'].schema;
    const target = resolve(doc, a.$ref) as Json;
    assert.equal(target.properties.children.items.$ref, a.$ref, 'the recursion points at the hoisted schema');
  });
});
