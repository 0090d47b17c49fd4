/**
 * Signs in to the production app's panel over HTTP, as a browser behind a TLS proxy would: the
 * session cookie is Secure in production, so requests say X-Forwarded-Proto: https (the app trusts
 * loopback proxies) and POSTs carry the matching Origin.
 */
export async function adminSession(base: string, email: string, password: string): Promise<Record<string, string>> {
  const host = new URL(base).host;
  const headers = { 'X-Forwarded-Proto': 'https', Host: host };
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST', redirect: 'manual',
    headers: { ...headers, Origin: `https://${host}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (res.status !== 302 || !cookie) throw new Error(`panel login failed: ${res.status} ${await res.text()}`);
  return { ...headers, Cookie: cookie };
}
