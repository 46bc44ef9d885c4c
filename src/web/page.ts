// res.page / res.form / req.flash: render a view inside the layout, with the
// flash messages queued by previous requests; res.redirect saves the session first.
import type { NextFunction, Request, Response } from 'express';
import type { FlashMessage } from './types.js';

export function pageHelpers(req: Request, res: Response, next: NextFunction): void {
  req.flash = (kind, key, params) => {
    if (!req.session) return;
    (req.session.flash ??= []).push({ kind, key, params });
  };
  res.page = (view, data = {}, opts = {}) => {
    const queued = req.session?.flash ?? [];
    if (req.session?.flash) delete req.session.flash;
    const flash: FlashMessage[] = queued.map((f) => ({ kind: f.kind, text: req.t(f.key, f.params) }));
    const locals = { ...data, flash: [...flash, ...((data.flash as FlashMessage[] | undefined) ?? [])] };
    if (opts.status) res.status(opts.status);
    res.render(view, locals, (err, body) => {
      if (err) return next(err);
      res.render(`layouts/${opts.layout ?? 'app'}`, { ...locals, body, view }, (err2, html) => {
        if (err2) return next(err2);
        res.send(html);
      });
    });
  };
  res.form = (view, data = {}, opts = {}) => {
    res.locals.form = { view, data, layout: opts.layout };
  };
  // express-session saves a changed session only after the response has been
  // written, so a browser can follow a redirect before the flash queued for
  // the next page is in the store (seen on Postgres): save first, then redirect.
  // Anonymous sessions with nothing queued are not written (no store row per
  // unauthenticated visit).
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const s = req.session;
    if (!s || !(s.flash?.length || req.user)) return redirect(...args);
    s.save((err) => (err ? next(err) : redirect(...args)));
  }) as Response['redirect'];
  next();
}
