import crypto from 'node:crypto';
import type { Command } from 'commander';
import { CLI_ACTOR } from '../src/audit/service.js';
import { auditAs } from '../src/audit/context.js';
import { disableTotp } from '../src/auth/totp.js';
import { listUsers, userByEmail } from '../src/users/queries.js';
import { NewUserInput } from '../src/users/schema.js';
import { createUser, setPassword } from '../src/users/service.js';
import { parse } from '../src/web/validate.js';
import { withInstall } from './context.js';

function fail(message: string): never {
  throw new Error(message);
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage staff accounts');

  user
    .command('create')
    .description('create a user (the first one may be the owner)')
    .requiredOption('--email <email>', 'e-mail address')
    .requiredOption('--password <password>', 'password (10+ characters, letters and numbers/symbols)')
    .option('--role <role>', 'owner | admin | manager | agent | viewer', 'agent')
    .option('--name <name>', 'display name')
    .option('--locale <locale>', 'es | en', 'es')
    .action(async (o: { email: string; password: string; role: string; name?: string; locale: string }) => {
      await withInstall(async (deps) => {
        const input = parse(NewUserInput, { name: o.name ?? o.email.split('@')[0], email: o.email, role: o.role, locale: o.locale, password: o.password });
        if (input.role === 'owner' && (await listUsers(deps.db, { role: 'owner' })).length > 0) fail('an owner already exists; create an admin instead');
        const u = await createUser(deps, 'system', input, auditAs(CLI_ACTOR, deps.clock));
        console.log(`Created ${u.role} ${u.email} (id ${u.id}).`);
      });
    });

  user
    .command('list')
    .description('list users')
    .action(async () => {
      await withInstall(async (deps) => {
        const users = await listUsers(deps.db);
        if (!users.length) return console.log('No users yet: open the app to run the first-run setup.');
        for (const u of users) {
          console.log([String(u.id).padStart(4), u.role.padEnd(8), u.active ? 'active  ' : 'disabled', u.totpEnabled ? '2fa' : '   ', u.email, `(${u.name})`].join('  '));
        }
      });
    });

  user
    .command('reset-password')
    .description('set a new password for a locked-out user and sign them out everywhere')
    .requiredOption('--email <email>', 'the account to reset')
    .option('--password <password>', 'the new password (omitted: a random one is generated and printed)')
    .action(async (o: { email: string; password?: string }) => {
      await withInstall(async (deps) => {
        const u = (await userByEmail(deps.db, o.email)) ?? fail(`no user with e-mail ${o.email}`);
        const generated = !o.password;
        const password = o.password ?? `${crypto.randomBytes(9).toString('base64url')}-7`;
        if (o.password) parse(NewUserInput.shape.password, o.password);
        await setPassword(deps, u.id, password, { mustChange: generated }, auditAs(CLI_ACTOR, deps.clock));
        console.log(generated ? `New temporary password for ${u.email}: ${password}\nThey will be asked to choose their own at next sign-in.` : `Password updated for ${u.email}.`);
      });
    });

  user
    .command('disable-2fa')
    .description('turn off two-factor authentication for a user who lost their device')
    .requiredOption('--email <email>', 'the account')
    .action(async (o: { email: string }) => {
      await withInstall(async (deps) => {
        const u = (await userByEmail(deps.db, o.email)) ?? fail(`no user with e-mail ${o.email}`);
        await disableTotp(deps.db, u.id, deps.clock.now());
        await auditAs(CLI_ACTOR, deps.clock)(deps.db, { action: 'user.2fa_disabled', entityType: 'user', entityId: u.id });
        console.log(`Two-factor authentication disabled for ${u.email}.`);
      });
    });
}
