/**
 * Passwords and tokens. Passwords are hashed with scrypt (node:crypto; memory-hard: N = 2^15,
 * r = 8, so 32 MB per hash) and a random salt; session and CSRF tokens are 32 random bytes, and
 * the database keeps only a session token's SHA-256, so a copy of the database opens no session.
 */
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

const N = 1 << 15;
const R = 8;
const P = 1;
const KEY = 32;
const MAXMEM = 64 * 1024 * 1024;

const derive = (password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> =>
  new Promise((res, rej) =>
    scrypt(password.normalize('NFC'), salt, KEY, { N: n, r, p, maxmem: MAXMEM }, (e, key) => (e ? rej(e) : res(key))),
  );

/** `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password rule people can follow: at least 10 characters, not all digits, not the login. */
export function passwordProblem(password: string, login: string): string | undefined {
  if ([...password].length < 10) return '密码至少 10 个字符';
  if (/^\d+$/u.test(password)) return '密码不能全是数字';
  if (password.toLowerCase().includes(login.toLowerCase())) return '密码不能包含登录名';
  return undefined;
}

/** A one-time password to hand over on paper: 12 characters without look-alikes (0/O, 1/l/I). */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const newToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
