// The API route registry: every /api/v1 route is declared once, with the zod
// schemas that validate it. The same declarations mount the Express routes
// (router.ts) and generate the OpenAPI document (openapi.ts), so the two
// cannot drift apart.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ApiKey } from '../api-keys/queries.js';
import type { Deps } from '../deps.js';
import type { Permission } from '../users/permissions.js';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiContext<P, Q, B> = {
  req: Request;
  res: Response;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  /** The calling key; absent only on public routes. */
  key: ApiKey | undefined;
};

export type ApiRouteDef<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
> = {
  method: HttpMethod;
  /** OpenAPI style, relative to /api/v1: `/users/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** The scope a key needs; null means any valid key. */
  scope: Permission | null;
  /** No key at all (the OpenAPI document). */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status: 200 unless stated (201 for creations). */
  status?: number;
  /** Media types of a success body the handler streams itself (a file download); JSON when absent. */
  produces?: string[];
  /** Media types the handler reads from the request body itself (an upload); documented as a binary body. */
  consumes?: string[];
  /**
   * Reads the request body before the handler (an upload), so an Idempotency-Key
   * covers its bytes: `digest` joins the request hash; `release` runs once the
   * request is answered (handler done, replayed or refused).
   */
  receive?: (req: Request, res: Response) => Promise<ReceivedBody>;
  handler: (ctx: ApiContext<P, Q, B>) => Promise<z.input<R>> | z.input<R>;
};

export type ReceivedBody = { digest: string; release(): Promise<void> };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteDef = ApiRouteDef<any, any, any, any>;

export type ApiRouteFn = <
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(def: ApiRouteDef<P, Q, B, R>) => void;

/** A feature's API module: declares its routes through `apiRoute`. */
export type ApiFeature = (apiRoute: ApiRouteFn, deps: Deps) => void;

const PATH_SHAPE = /^\/(?:[a-z0-9._-]+|\{[a-zA-Z_][a-zA-Z0-9_]*\})(?:\/(?:[a-z0-9._-]+|\{[a-zA-Z_][a-zA-Z0-9_]*\}))*$/;

export class ApiRegistry {
  private readonly defs: AnyRouteDef[] = [];

  /** Bound so features can be handed `apiRoute` alone. */
  readonly route: ApiRouteFn = (def) => {
    if (!PATH_SHAPE.test(def.path)) throw new Error(`API route path ${def.path} must look like /things/{id}`);
    if (this.defs.some((d) => d.method === def.method && d.path === def.path)) throw new Error(`API route ${def.method.toUpperCase()} ${def.path} declared twice`);
    this.defs.push(def as AnyRouteDef);
  };

  get routes(): readonly AnyRouteDef[] {
    return this.defs;
  }

  /** Methods declared for the path that `requestPath` matches (for 405 + Allow). */
  methodsFor(requestPath: string): HttpMethod[] {
    return this.defs.filter((d) => pathPattern(d.path).test(requestPath)).map((d) => d.method);
  }
}

/** `/users/{id}` → `/users/:id` (Express 5 syntax). */
export function expressPath(path: string): string {
  return path.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, ':$1');
}

export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g)].map((m) => m[1]!);
}

function pathPattern(path: string): RegExp {
  const body = path
    .split('/')
    .map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.]/g, '\\.')))
    .join('/');
  return new RegExp(`^${body}/?$`);
}
