/**
 * Reads the parameters back out of locations made from a collator's
 * location template, e.g. "/catalog/:namespace/:kind/:name" and
 * "/catalog/default/component/payment-service".
 */
export function createLocationParser(
  template: string,
): (location: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = template
    .split(/(:[a-zA-Z]+)/)
    .map(part => {
      if (!part.startsWith(':'))
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1));
      return '([^/?#]+)';
    })
    .join('');
  const pattern = new RegExp(`^${source}/?$`, 'i');
  return location => {
    const match = pattern.exec(location);
    if (!match) return undefined;
    try {
      return Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(match[i + 1])]),
      );
    } catch {
      return undefined; // malformed percent-encoding
    }
  };
}

/**
 * A link an agent can hand to a person: collators index frontend routes
 * ("/catalog/..."), which are relative to the app, not to the backend.
 */
export function toPortalUrl(
  location: string,
  appBaseUrl: string | undefined,
): string {
  if (!appBaseUrl || !location.startsWith('/') || location.startsWith('//'))
    return location;
  return `${appBaseUrl.replace(/\/+$/, '')}${location}`;
}
