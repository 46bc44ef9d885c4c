// res.page / res.form / req.flash: render a view inside the layout, with the
// flash messages queued by previous requests.
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
  next();
}
