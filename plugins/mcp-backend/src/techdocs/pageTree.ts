import { isError } from '@backstage/errors';
import { load } from 'cheerio/slim';
import { DocsSite } from './docsSite';
import { isPageFile, pagePathOfFile, resolveSiteLink } from './pagePaths';

/** One page of a docs site. */
export interface DocsPage {
  /** The page path to pass to techdocs_get_page, e.g. "/runbook/". */
  path: string;
  title: string;
  /** The page's headings, from the search index. */
  sections?: Array<{ title: string; id: string }>;
}

const SEARCH_INDEX = 'search/search_index.json';

interface SearchIndex {
  docs?: Array<{ location?: unknown; title?: unknown }>;
}

/**
 * Pages in site order from the MkDocs search index, which lists every page
 * (location without "#", titled as in the site navigation) followed by its
 * sections (location "page/#anchor"). Every MkDocs theme and TechDocs' own
 * plugin write it the same way, unlike their navigation markup.
 */
export function pagesFromSearchIndex(index: SearchIndex): DocsPage[] {
  const pages = new Map<string, DocsPage>();
  for (const doc of index.docs ?? []) {
    if (typeof doc.location !== 'string' || typeof doc.title !== 'string')
      continue;
    const [location, anchor] = doc.location.split('#');
    const path = `/${location}`;
    if (anchor === undefined) {
      pages.set(path, {
        path,
        title: doc.title,
        sections: pages.get(path)?.sections ?? [],
      });
    } else if (anchor) {
      const page = pages.get(path) ?? { path, title: path, sections: [] };
      page.sections!.push({ title: doc.title, id: anchor });
      pages.set(path, page);
    }
  }
  return [...pages.values()];
}

/**
 * Where themes put the site navigation: MkDocs' own themes (navbar, the Read
 * the Docs theme's navigation landmark) and Material (primary nav).
 */
const NAVIGATION_SELECTORS =
  'nav, [role="navigation"], .navbar, .md-nav--primary';

/**
 * The pages the home page's navigation links to, in navigation order, with
 * the link texts. Without a recognisable navigation, every link counts.
 */
export function navigationLinks(homeHtml: string): Map<string, string> {
  const $ = load(homeHtml);
  const navigation = $(NAVIGATION_SELECTORS);
  const links = (navigation.length ? navigation : $('body')).find('a[href]');
  const titles = new Map<string, string>();
  links.each((_index, link) => {
    const path = resolveSiteLink($(link).attr('href')!, 'index.html').split(
      '#',
    )[0];
    const title = $(link).text().replace(/\s+/g, ' ').trim();
    if (path.startsWith('/') && title && !titles.has(path))
      titles.set(path, title);
  });
  return titles;
}

/** Pages from the site's file list, titled by the navigation where it links them. */
export function pagesFromFiles(
  files: string[],
  navigation: Map<string, string>,
): DocsPage[] {
  return files
    .filter(isPageFile)
    .map(pagePathOfFile)
    .sort()
    .map(path => ({ path, title: navigation.get(path) ?? path }));
}

/** Pages in navigation order; pages the navigation does not link keep their order, after. */
export function inNavigationOrder(
  pages: DocsPage[],
  navigation: Map<string, string>,
): DocsPage[] {
  const rank = new Map(
    [...navigation.keys()].map((path, index) => [path, index]),
  );
  const linked = pages
    .filter(page => rank.has(page.path))
    .sort((a, b) => rank.get(a.path)! - rank.get(b.path)!);
  return [...linked, ...pages.filter(page => !rank.has(page.path))];
}

function isMissingOrUnreadable(error: unknown) {
  return (
    isError(error) &&
    (error.name === 'NotFoundError' || error.name === 'InputError')
  );
}

async function readOptional(read: () => Promise<string>) {
  try {
    return await read();
  } catch (error) {
    // Missing, too large: the other sources still give a page list.
    if (isMissingOrUnreadable(error)) return undefined;
    throw error;
  }
}

function parseSearchIndex(text: string | undefined): SearchIndex {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/**
 * The pages of a built docs site in navigation order: listed and titled by
 * the search index, ordered by the home page's navigation (the search index
 * follows the file names), and from the site's file list when there is no
 * search index.
 */
export async function listSitePages(site: DocsSite): Promise<DocsPage[]> {
  const files = site.metadata.files;
  const read = (file: string) => () => site.readFile(file);
  const home = await readOptional(read('index.html'));
  const navigation = home ? navigationLinks(home) : new Map<string, string>();
  const hasIndex = !files || files.includes(SEARCH_INDEX);
  const indexed = hasIndex
    ? pagesFromSearchIndex(
        parseSearchIndex(await readOptional(read(SEARCH_INDEX))),
      )
    : [];
  const pages =
    indexed.length > 0
      ? indexed
      : pagesFromFiles(files ?? ['index.html'], navigation);
  return inNavigationOrder(pages, navigation);
}
