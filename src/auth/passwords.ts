import bcrypt from 'bcrypt';

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(plain: string, cost: number): Promise<string> {
  return bcrypt.hash(plain, cost);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** At least 10 characters and not only letters or only digits. */
export function isStrongPassword(plain: string): boolean {
  if (plain.length < MIN_PASSWORD_LENGTH) return false;
  const hasLetter = /\p{L}/u.test(plain);
  const hasOther = /[^\p{L}]/u.test(plain);
  return hasLetter && hasOther;
}

// A constant hash compared against when the e-mail is unknown, so timing does
// not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;
export function dummyCompare(plain: string, cost: number): Promise<boolean> {
  dummyHash ??= bcrypt.hash('chatflow-timing-equaliser', cost);
  return dummyHash.then((h) => bcrypt.compare(plain, h));
}
