/**
 * The collection server's JSON API as the pages call it: same-origin credentials, the session's
 * CSRF token on every change, JSON in and out (a body that is not JSON reads as `{}`).
 */
// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, as the server documents them
export type Json = Record<string, any>;

export async function callJson(method: string, path: string, csrf: string, data?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(data !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(method !== 'GET' ? { 'X-CSRF-Token': csrf } : {}),
    },
    ...(data !== undefined ? { body: JSON.stringify(data) } : {}),
  });
  let json: Json = {};
  try {
    json = await res.json();
  } catch {
    json = {};
  }
  return { status: res.status, json };
}
