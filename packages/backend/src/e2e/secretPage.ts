/**
 * The secret entry page as a person's browser uses it, for end-to-end tests.
 */

/**
 * What a signed-in Backstage frontend does: trades the user's token for
 * Backstage's user cookie at a plugin's well-known cookie endpoint.
 */
export async function userCookie(
  baseUrl: string,
  token: string,
): Promise<string> {
  const res = await fetch(`${baseUrl}/api/mcp/.backstage/auth/v1/cookie`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok)
    throw new Error(
      `The cookie endpoint answered ${res.status}: ${await res.text()}`,
    );
  return res.headers.get('set-cookie')!.split(';')[0];
}

/** Opens the page as the browser of the person with the cookie (none: signed out). */
export async function openSecretPage(url: string, cookie?: string) {
  const res = await fetch(url, { headers: cookie ? { Cookie: cookie } : {} });
  return { status: res.status, html: await res.text() };
}

/** The ids of the forms on the page, newest request first. */
export function requestIdsOn(html: string): string[] {
  return [...html.matchAll(/name="request" value="([0-9a-f-]{36})"/g)].map(
    match => match[1],
  );
}

/** Submits one request's form, as the page's own form posts it. */
export async function submitSecret(options: {
  url: string;
  cookie: string;
  id: string;
  secrets: Record<string, string>;
}) {
  const body = new URLSearchParams({ request: options.id });
  for (const [name, value] of Object.entries(options.secrets))
    body.set(`secret.${name}`, value);
  const res = await fetch(options.url, {
    method: 'POST',
    headers: {
      Cookie: options.cookie,
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: new URL(options.url).origin,
      'Sec-Fetch-Site': 'same-origin',
    },
    body: body.toString(),
  });
  return { status: res.status, html: await res.text() };
}
