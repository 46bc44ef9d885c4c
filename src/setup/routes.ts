import { Router } from 'express';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { parse } from '../web/validate.js';
import { SetupInput, timezones } from './schema.js';
import { completeSetup } from './service.js';
import { isFirstRun } from '../users/service.js';

/** Remembers once setup is done so the guard costs nothing afterwards. */
export class FirstRunGuard {
  private done = false;
  constructor(private readonly deps: Pick<Deps, 'db'>) {}
  async pending(): Promise<boolean> {
    if (this.done) return false;
    this.done = !(await isFirstRun(this.deps));
    return !this.done;
  }
  markDone(): void {
    this.done = true;
  }
}

const OPEN_PATHS = ['/setup', '/locale'];

export function setupRoutes(deps: Deps, guard: FirstRunGuard): Router {
  const r = Router();

  // While no user exists, every page leads to the setup form.
  r.use(async (req, res, next) => {
    if (OPEN_PATHS.includes(req.path) || !(await guard.pending())) return next();
    res.redirect('/setup');
  });

  const formData = (defaults: Record<string, string>) => ({ timezones: timezones(), defaults });

  r.get('/setup', async (req, res) => {
    if (!(await guard.pending())) throw new NotFound();
    res.page('setup/form', { ...formData({}), values: { timezone: deps.config.timezone, locale: req.locale } }, { layout: 'auth' });
  });

  r.post('/setup', async (req, res) => {
    if (!(await guard.pending())) throw new NotFound();
    res.form('setup/form', formData({}), { layout: 'auth' });
    const input = parse(SetupInput, req.body);
    const owner = await completeSetup(deps, input, req.audit);
    guard.markDone();
    await new Promise<void>((resolve, reject) => req.logIn(owner, (e) => (e ? reject(e) : resolve())));
    req.flash('success', 'setup.done', { company: input.company });
    res.redirect('/');
  });

  return r;
}
