import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isError, NotFoundError } from '@backstage/errors';
import { DocsSite, DocsSiteDeps, openDocsSite } from './docsSite';
import { createMarkdownConverter } from './markdownConverter';
import { convertPage } from './pageMarkdown';
import { isPageFile, pagePathOfFile, parsePagePath } from './pagePaths';

/** Reads the page's file, trying the files its path may name. */
async function readPageFile(site: DocsSite, path: string) {
  const { candidates, anchor } = parsePagePath(path);
  const files = site.metadata.files;
  const name = site.docsRef ?? site.ref;
  // With the site's file list, unknown pages are refused without a request.
  const tries = files
    ? candidates.filter(candidate => files.includes(candidate))
    : candidates;
  for (const file of tries) {
    try {
      return { file, anchor, html: await site.readFile(file) };
    } catch (error) {
      if (!(isError(error) && error.name === 'NotFoundError')) throw error;
    }
  }
  const known = files?.filter(isPageFile).map(pagePathOfFile).slice(0, 20);
  const listed = known?.length ? `Pages include: ${known.join(', ')}. ` : '';
  throw new NotFoundError(
    `The docs of ${name} have no page "${path}". ${listed}Call techdocs_list_pages {"ref": "${name}"} for every page`,
  );
}

/**
 * Reads one page of an entity's docs as the caller and converts it: the
 * site (built first where the portal builds docs), the page file, and its
 * Markdown sections.
 */
export async function readDocsPage(
  deps: DocsSiteDeps & {
    toMarkdown: ReturnType<typeof createMarkdownConverter>;
  },
  options: {
    ref: string;
    path: string;
    credentials: BackstageCredentials;
    signal?: AbortSignal;
  },
) {
  const site = await openDocsSite(deps, {
    input: options.ref,
    credentials: options.credentials,
    signal: options.signal,
  });
  const { file, anchor, html } = await readPageFile(site, options.path);
  const page = convertPage(html, {
    pageFile: file,
    toMarkdown: deps.toMarkdown,
  });
  return { site, page, anchor, path: pagePathOfFile(file) };
}
