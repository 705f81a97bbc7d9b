import { InputError } from '@backstage/errors';

/**
 * Page paths as agents see them: the page's URL within the site, starting
 * with "/" ("/" for the home page, "/runbook/" for runbook.md); a site built
 * without directory URLs has "/runbook.html" instead.
 */

/** A page path an agent asked for, parsed. */
export interface PageRequest {
  /** Site files that may hold the page, most likely first. */
  candidates: string[];
  /** The #anchor the agent gave, without "#". */
  anchor?: string;
}

const MARKDOWN_INDEX = /^(index|readme)$/i;

/**
 * Parses "/runbook/", "runbook", "runbook.md", "guides/index.md",
 * "runbook.html" or "/runbook/#rolling-back" into the site files to try.
 */
export function parsePagePath(input: string): PageRequest {
  const hashAt = input.indexOf('#');
  const anchor =
    hashAt >= 0 ? input.slice(hashAt + 1).trim() || undefined : undefined;
  const raw = (hashAt >= 0 ? input.slice(0, hashAt) : input)
    .split('?')[0]
    .trim();
  // The path reaches the TechDocs backend as a URL path: refuse anything that
  // could climb out of the entity's site.
  const segments = raw.split('/').filter(Boolean);
  if (
    raw.includes('\\') ||
    raw.includes('\0') ||
    segments.some(s => s === '..' || s === '.')
  ) {
    throw new InputError(
      `"${raw}" is not a page path. Use a path from techdocs_list_pages, e.g. "/" or "/runbook/"`,
    );
  }
  const dir = segments.join('/');
  if (dir === '') return { candidates: ['index.html'], anchor };
  if (raw.endsWith('/')) return { candidates: [`${dir}/index.html`], anchor };
  if (/\.html?$/i.test(dir)) return { candidates: [dir], anchor };

  const stem = dir.replace(/\.md$/i, '');
  const parts = stem.split('/');
  if (dir !== stem && MARKDOWN_INDEX.test(parts[parts.length - 1])) {
    const parent = parts.slice(0, -1).join('/');
    return {
      candidates: [parent ? `${parent}/index.html` : 'index.html'],
      anchor,
    };
  }
  return { candidates: [`${stem}/index.html`, `${stem}.html`], anchor };
}

/** The page path of a site file: "index.html" is "/", "a/index.html" is "/a/". */
export function pagePathOfFile(file: string): string {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html'))
    return `/${file.slice(0, -'index.html'.length)}`;
  return `/${file}`;
}

/** True for the site files that are pages rather than assets or error pages. */
export function isPageFile(file: string): boolean {
  return (
    file.endsWith('.html') && file !== '404.html' && !file.startsWith('search/')
  );
}

// A base that no real link can share, to tell links within the site apart.
const SITE_ORIGIN = 'http://techdocs.site.invalid';

/**
 * Rewrites a link found in the page at `pageFile` so that an agent can use it:
 * a link to another page of the site becomes its page path (for the `path`
 * argument, with any #anchor), a link to an asset its path within the site,
 * and anything else (other sites, mail, anchors on the same page) stays.
 */
export function resolveSiteLink(href: string, pageFile: string): string {
  if (href.startsWith('#')) return href;
  let url: URL;
  try {
    url = new URL(href, `${SITE_ORIGIN}/${pageFile}`);
  } catch {
    return href;
  }
  if (url.origin !== SITE_ORIGIN) return href;
  let file = url.pathname.slice(1);
  try {
    file = decodeURIComponent(file);
  } catch {
    // a malformed escape: keep the path as written
  }
  const page =
    file === '' || file.endsWith('/')
      ? pagePathOfFile(`${file}index.html`)
      : pagePathOfFile(file);
  return `${page}${url.hash}`;
}
