// A small HTTP client for tests: keeps cookies, never follows redirects, and
// knows how to pick the CSRF token out of a page.
export type Res = { status: number; headers: Headers; text: string; location: string | null; json<T = unknown>(): T };

export class HttpClient {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(headers: Headers): void {
    for (const c of headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Res> {
    const r = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: { ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}), ...init.headers },
      body: typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body),
    });
    this.keep(r.headers);
    const text = await r.text();
    return { status: r.status, headers: r.headers, text, location: r.headers.get('location'), json: <T>() => JSON.parse(text) as T };
  }

  get(path: string, headers?: Record<string, string>): Promise<Res> {
    return this.request('GET', path, { headers });
  }

  /** POSTs a urlencoded form; with `csrfFrom`, first GETs that page for the token. */
  async post(path: string, form: Record<string, string | string[]>, opts: { csrfFrom?: string; csrf?: string } = {}): Promise<Res> {
    const body = new URLSearchParams();
    let token = opts.csrf;
    if (!token && opts.csrfFrom) token = await this.csrf(opts.csrfFrom);
    if (token) body.append('_csrf', token);
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    return this.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async csrf(pagePath: string): Promise<string> {
    const page = await this.get(pagePath);
    const m = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!m) throw new Error(`No CSRF token on ${pagePath} (status ${page.status})`);
    return m[1]!;
  }

  async json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    return this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}
