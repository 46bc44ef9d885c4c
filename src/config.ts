// Configuration is parsed once at boot from the environment (which overrides
// `$CHATFLOW_DATA_DIR/config.json`, written by the installer) and then frozen.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isTimezone } from './i18n/timezones.js';

export const DEFAULT_API_VERSION = 'v24.0';

const logLevels = ['debug', 'info', 'warn', 'error'] as const;

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  CHATFLOW_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL (leave it unset for SQLite)')
    .optional(),
  CHATFLOW_PUBLIC_URL: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  CHATFLOW_WHATSAPP_GRAPH_URL: z.url({ message: 'must be an absolute http(s) URL' }).default('https://graph.facebook.com'),
  CHATFLOW_WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v24.0')
    .default(DEFAULT_API_VERSION),
  CHATFLOW_TIMEZONE: z.string().refine(isTimezone, 'is not an IANA timezone such as America/Mexico_City').default('UTC'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  CHATFLOW_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  CHATFLOW_TRUST_PROXY: z.string().default('false'),
  CHATFLOW_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CHATFLOW_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (44 characters)')
    .optional(),
  CHATFLOW_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CHATFLOW_SANDBOX: z.enum(['on', 'off']).default('on'),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  client: 'sqlite' | 'postgres';
  sqliteFile: string;
  publicUrl: string;
  secureCookies: boolean;
  graphUrl: string;
  apiVersion: string;
  timezone: string;
  logLevel: (typeof logLevels)[number];
  role: 'web' | 'worker' | 'all';
  trustProxy: boolean | number | string;
  sessionSecret: string | undefined;
  encryptionKey: string | undefined;
  metricsToken: string | undefined;
  sandbox: boolean;
  /** bcrypt cost; 12 everywhere except the test suite, which trades strength for speed. */
  bcryptCost: number;
}>;

export class ConfigError extends Error {}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v; // a list of subnets / 'loopback'
}

function readConfigFile(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'config.json');
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${file}: must hold a JSON object of VARIABLE: value`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

/**
 * `X_FILE=/run/secrets/x` stands for `X` with the file's content (Docker
 * secrets), so passwords and keys need not sit in the environment. Precedence:
 * env X, env X_FILE, config.json X, config.json X_FILE.
 */
function readFileVariables(merged: Record<string, string | undefined>, env: NodeJS.ProcessEnv): void {
  const inEnv = (k: string) => env[k] !== undefined && env[k] !== '';
  for (const name of Object.keys(EnvSchema.shape)) {
    const fileVar = `${name}_FILE`;
    if (inEnv(name) && inEnv(fileVar)) throw new ConfigError(`Invalid configuration:\n  ${fileVar}: set ${name} or ${fileVar}, not both`);
    const file = merged[fileVar];
    if (!file || inEnv(name) || (!inEnv(fileVar) && merged[name] !== undefined)) continue;
    try {
      merged[name] = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new ConfigError(`Invalid configuration:\n  ${fileVar}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.CHATFLOW_DATA_DIR || './data');
  const merged: Record<string, string | undefined> = { ...readConfigFile(dataDir) };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') merged[k] = v;
  readFileVariables(merged, env);
  const result = EnvSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      const value = merged[name];
      const shown = value === undefined || /SECRET|KEY|TOKEN|URL/.test(name) ? '' : ` (got "${value}")`;
      return `  ${name}${shown}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  const publicUrl = (e.CHATFLOW_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    client: e.DATABASE_URL ? 'postgres' : 'sqlite',
    sqliteFile: path.join(dataDir, 'chatflow.sqlite'),
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    graphUrl: e.CHATFLOW_WHATSAPP_GRAPH_URL.replace(/\/+$/, ''),
    apiVersion: e.CHATFLOW_WHATSAPP_API_VERSION,
    timezone: e.CHATFLOW_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    role: e.CHATFLOW_ROLE,
    trustProxy: parseTrustProxy(e.CHATFLOW_TRUST_PROXY),
    sessionSecret: e.CHATFLOW_SESSION_SECRET,
    encryptionKey: e.CHATFLOW_ENCRYPTION_KEY,
    metricsToken: e.CHATFLOW_METRICS_TOKEN,
    sandbox: e.CHATFLOW_SANDBOX === 'on',
    bcryptCost: e.NODE_ENV === 'test' ? 4 : 12,
  } satisfies Config);
}
