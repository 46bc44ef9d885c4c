// Install secrets: the session secret and the key that encrypts stored
// credentials. Given through the environment or generated on first start into
// $CHATFLOW_DATA_DIR/secrets.json (mode 0600). Never logged, never in backups.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

export type Secrets = Readonly<{ sessionSecret: string; encryptionKey: Buffer; fingerprint: string }>;

type SecretsFile = { session_secret: string; encryption_key: string; created_at: string };

export function secretsPath(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

function readOrCreate(dataDir: string): SecretsFile {
  const file = secretsPath(dataDir);
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SecretsFile;
    if (!parsed.session_secret || !parsed.encryption_key) throw new Error(`${file} is incomplete`);
    return parsed;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const fresh: SecretsFile = {
    session_secret: crypto.randomBytes(48).toString('base64url'),
    encryption_key: crypto.randomBytes(32).toString('base64'),
    created_at: new Date().toISOString(),
  };
  // 'wx' never overwrites a file another process created meanwhile.
  fs.writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return fresh;
}

export function loadSecrets(config: Config): Secrets {
  const needFile = !config.sessionSecret || !config.encryptionKey;
  const file = needFile ? readOrCreate(config.dataDir) : undefined;
  const sessionSecret = config.sessionSecret ?? file!.session_secret;
  const encryptionKey = Buffer.from(config.encryptionKey ?? file!.encryption_key, 'base64');
  if (encryptionKey.length !== 32) throw new Error('The encryption key must be 32 bytes');
  const fingerprint = crypto.createHash('sha256').update('chatflow-secrets:').update(encryptionKey).digest('hex').slice(0, 16);
  return Object.freeze({ sessionSecret, encryptionKey, fingerprint });
}

/** AES-256-GCM; output `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function encrypt(key: Buffer, plain: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function decrypt(key: Buffer, sealed: string): string {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unreadable encrypted value');
  const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}
