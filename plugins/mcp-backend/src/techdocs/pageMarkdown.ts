import { load } from 'cheerio/slim';
import { MarkdownConverter } from './markdownConverter';
import { resolveSiteLink } from './pagePaths';

/** A heading of a docs page. */
export interface PageHeading {
  level: number;
  title: string;
  /** The heading's anchor on the page, e.g. "rolling-back". */
  id: string;
}

/** A heading and the Markdown up to the next heading (the preamble has none). */
export interface PageSection {
  heading?: PageHeading;
  markdown: string;
}

/** A docs page reduced to its article, as Markdown split at its headings. */
export interface PageContent {
  title?: string;
  sections: PageSection[];
}

/**
 * Where the article is in the themes TechDocs sites are built with: Material
 * and techdocs-core, then MkDocs' own themes, then anything with a main
 * landmark. The first that has text wins.
 */
const ARTICLE_SELECTORS = [
  'article.md-content__inner',
  '.md-content',
  '.rst-content [role="main"]',
  '[role="main"]',
  'main',
  'article',
  'body',
];

/**
 * What is not part of the article even inside it: permalink anchors next to
 * headings, edit and view-source buttons, page navigation, feedback widgets,
 * search, the footer, and the table of contents.
 */
const NOISE_SELECTORS = [
  'script',
  'style',
  'link',
  'meta',
  'noscript',
  'template',
  'nav',
  'header',
  'footer',
  'form',
  '[role="navigation"]',
  '[role="search"]',
  '.headerlink',
  '.md-content__button',
  'a[title="Edit this page"]',
  '.md-source-file',
  '.md-feedback',
  '.md-footer',
  '.md-sidebar',
  '.toc',
  '.rst-footer-buttons',
  '.wy-breadcrumbs',
  '.modal',
];

const HEADINGS = 'h1, h2, h3, h4, h5, h6';
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const COMMENT_NODE = 8;

function slug(text: string) {
  return text
    .toLocaleLowerCase('en-US')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Selects the article of a built TechDocs page, drops everything around and
 * inside it that a reader does not need, and converts it to Markdown one
 * heading at a time, so that sections can be chosen and measured.
 * `pageFile` is the page's file within the site, to resolve relative links.
 */
export function convertPage(
  html: string,
  options: { pageFile: string; toMarkdown: MarkdownConverter },
): PageContent {
  const $ = load(html);
  const documentTitle = $('title').first().text().trim();

  let root = $(
    ARTICLE_SELECTORS.find(selector => $(selector).first().text().trim()) ??
      'body',
  ).first();
  root.find(NOISE_SELECTORS.join(', ')).remove();
  root.find('a[href]').each((_index, link) => {
    const anchor = $(link);
    anchor.attr(
      'href',
      resolveSiteLink(anchor.attr('href')!, options.pageFile),
    );
  });

  // Themes wrap the article in single containers (a "section" div, say);
  // step into them so that the headings are the children being split at.
  for (;;) {
    const children = root.children();
    const onlyChild = children.first();
    const looseText = root
      .contents()
      .toArray()
      .some(
        node => node.nodeType === TEXT_NODE && $(node).text().trim() !== '',
      );
    if (children.length !== 1 || onlyChild.is(HEADINGS) || looseText) break;
    root = onlyChild;
  }

  const parts: Array<{ heading?: PageHeading; html: string[] }> = [
    { html: [] },
  ];
  for (const node of root.contents().toArray()) {
    if (node.nodeType === COMMENT_NODE) continue;
    const element = $(node);
    if (node.nodeType === ELEMENT_NODE && element.is(HEADINGS)) {
      const title = element.text().replace(/\s+/g, ' ').trim();
      parts.push({
        heading: {
          level: Number(String(element.prop('tagName')).slice(1)),
          title,
          id: element.attr('id') ?? slug(title),
        },
        html: [],
      });
    }
    parts[parts.length - 1].html.push($.html(node));
  }

  const sections = parts
    .map(part => ({
      heading: part.heading,
      markdown: options.toMarkdown(part.html.join('')),
    }))
    .filter(section => section.heading || section.markdown);
  const firstH1 = sections.find(section => section.heading?.level === 1)
    ?.heading?.title;
  // MkDocs titles pages "Page - Site"; the page's own h1 is the better title.
  return {
    title: firstH1 ?? (documentTitle.split(' - ')[0] || undefined),
    sections,
  };
}
