// Builds the Express app. Middleware order matters and is all here.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';
import { pinoHttp } from 'pino-http';
import { authRoutes, DEFAULT_LOGIN_LIMITS, type LoginLimits } from '../auth/routes.js';
import { createPassport } from '../auth/passport.js';
import { KnexSessionStore } from '../auth/session-store.js';
import type { Deps } from '../deps.js';
import { healthRoutes } from '../health/routes.js';
import { FirstRunGuard, setupRoutes } from '../setup/routes.js';
import { brandRoutes } from '../branding/routes.js';
import { createMetrics } from '../metrics/registry.js';
import { countRequests, metricsRoutes } from '../metrics/routes.js';
import { requestContext } from './context.js';
import { errorHandler, notFound } from './errors.js';
import { securityHeaders } from './security.js';
import { pageHelpers } from './page.js';
import { mountApi, mountPages } from './mount.js';
import { webhookRoutes } from '../whatsapp/webhook-routes.js';
import './types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VIEWS_DIR = path.join(ROOT, 'views');
export const PUBLIC_DIR = path.join(ROOT, 'public');
export const SESSION_TTL_MS = 12 * 60 * 60_000;

export type AppOptions = { loginLimits?: LoginLimits };
export type App = { app: Express; sessions: KnexSessionStore };

export function createApp(deps: Deps, opts: AppOptions = {}): App {
  const app = express();
  const brand = deps.brand.get();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', [brand.viewsDir, VIEWS_DIR].filter((d): d is string => !!d));
  if (deps.config.env === 'production') app.enable('view cache');

  // Meta's callbacks first: raw body for the signature, no per-request log line,
  // headers, session or CSRF (the route logs its own rejections and failures).
  app.use(webhookRoutes(deps));
  app.use(
    pinoHttp({
      logger: deps.log,
      // Method, URL, status and timing are enough; headers would only add noise (and risk).
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/assets/') },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  const metrics = createMetrics(deps);
  app.use(countRequests(metrics));
  app.use(securityHeaders());
  app.use(healthRoutes(deps));
  app.use('/assets', express.static(PUBLIC_DIR, { maxAge: deps.config.env === 'production' ? '1d' : 0, index: false }));
  app.use('/brand', brandRoutes(deps));

  // The REST API authenticates with API keys, not sessions or CSRF.
  mountApi(app, deps);

  const sessions = new KnexSessionStore(deps.db, SESSION_TTL_MS, () => deps.clock.now());
  app.use(
    session({
      name: 'chatflow.sid',
      secret: deps.secrets.sessionSecret,
      store: sessions,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies, maxAge: SESSION_TTL_MS },
    }),
  );
  const passport = createPassport(deps);
  app.use(passport.initialize());
  app.use(passport.session());

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
  });
  app.use(requestContext(deps, (req) => generateToken(req)));
  app.use(pageHelpers);
  // Parsed after the request context so a 413/400 still renders a branded page in the user's language.
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 500 }));
  app.use(express.json({ limit: '1mb' }));
  app.use(csrfSynchronisedProtection);

  const firstRun = new FirstRunGuard(deps);
  app.use(setupRoutes(deps, firstRun));
  app.use(authRoutes(deps, passport, opts.loginLimits ?? DEFAULT_LOGIN_LIMITS));
  app.use(metricsRoutes(deps, metrics));
  mountPages(app, deps);

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return { app, sessions };
}
