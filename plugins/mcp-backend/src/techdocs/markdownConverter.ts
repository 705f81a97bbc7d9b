import { gfm } from '@joplin/turndown-plugin-gfm';
import TurndownService from 'turndown';

/** Turns an HTML fragment of a docs page into Markdown. */
export type MarkdownConverter = (html: string) => string;

/** Elements that carry no text for a reader, wherever they appear. */
const NOISE_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'button',
  'input',
  'select',
  'textarea',
  'form',
  'iframe',
  'svg',
  'canvas',
]);

function classesOf(node: HTMLElement | null): string {
  return node?.getAttribute?.('class') ?? '';
}

/** The language of a code block: Python-Markdown and Pygments name it in a class. */
function codeLanguage(pre: HTMLElement): string {
  const code = pre.querySelector('code');
  for (const candidate of [code, pre, pre.parentNode as HTMLElement | null]) {
    const match = /(?:^|\s)language-([\w+#.-]+)/.exec(classesOf(candidate));
    if (match) return match[1];
  }
  return '';
}

/** A fence longer than any backtick run in the code, so the code cannot end it. */
function fenceFor(code: string): string {
  const longest = Math.max(
    2,
    ...(code.match(/`+/g) ?? []).map(run => run.length),
  );
  return '`'.repeat(longest + 1);
}

function isAdmonition(node: HTMLElement): boolean {
  if (node.nodeName === 'DETAILS') return true;
  return (
    node.nodeName === 'DIV' &&
    /(?:^|\s)admonition(?:\s|$)/.test(classesOf(node))
  );
}

function isAdmonitionTitle(node: HTMLElement): boolean {
  if (node.nodeName === 'SUMMARY') return true;
  return (
    node.nodeName === 'P' &&
    /(?:^|\s)admonition-title(?:\s|$)/.test(classesOf(node))
  );
}

/**
 * The converter for TechDocs pages: GitHub-flavoured Markdown (tables,
 * strikethrough, task lists), ATX headings, fenced code with its language,
 * admonitions ("!!! note") as quoted blocks, and images as their alt text,
 * since an agent cannot follow an image URL of the portal.
 */
export function createMarkdownConverter(): MarkdownConverter {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    strongDelimiter: '**',
    hr: '---',
  });
  service.use(gfm);
  service.remove(node => NOISE_TAGS.has(node.nodeName.toLowerCase()));

  // Highlighted code (Pygments, pymdownx.highlight) wraps the code in spans
  // and puts a span before <code>, which the stock rule does not recognise.
  service.addRule('codeBlock', {
    filter: node =>
      node.nodeName === 'PRE' && Boolean(node.textContent?.trim()),
    replacement: (_content, node) => {
      const code = (node.textContent ?? '').replace(/\n$/, '');
      const fence = fenceFor(code);
      return `\n\n${fence}${codeLanguage(node)}\n${code}\n${fence}\n\n`;
    },
  });

  service.addRule('admonitionTitle', {
    filter: isAdmonitionTitle,
    replacement: () => '',
  });
  service.addRule('admonition', {
    filter: isAdmonition,
    replacement: (content, node) => {
      const title = Array.from(node.childNodes as NodeListOf<HTMLElement>)
        .find(child => child.nodeType === 1 && isAdmonitionTitle(child))
        ?.textContent?.trim();
      const kind =
        classesOf(node)
          .split(/\s+/)
          .find(c => c && c !== 'admonition') ?? 'note';
      const label = kind.charAt(0).toUpperCase() + kind.slice(1);
      const body = content.trim();
      // The kind (warning, danger, tip) says how much the text matters.
      const heading = `**${
        !title || title.toLowerCase() === kind.toLowerCase()
          ? label
          : `${label}: ${title}`
      }**`;
      const quoted = [heading, ...(body ? ['', ...body.split('\n')] : [])]
        .map(line => (line ? `> ${line}` : '>'))
        .join('\n');
      return `\n\n${quoted}\n\n`;
    },
  });

  // One space after the marker instead of Turndown's three: the same
  // Markdown to every renderer, and fewer tokens for the agent.
  service.addRule('listItem', {
    filter: 'li',
    replacement: (content, node) => {
      const parent = node.parentNode as HTMLElement;
      let marker = '-';
      if (parent?.nodeName === 'OL') {
        const start = Number(parent.getAttribute('start') ?? 1);
        marker = `${
          start + Array.prototype.indexOf.call(parent.children, node)
        }.`;
      }
      const indent = ' '.repeat(marker.length + 1);
      const body = content
        .replace(/^\n+/, '')
        .replace(/\n+$/, '\n')
        .replace(/\n(?=.)/g, `\n${indent}`);
      const lineEnd = node.nextSibling && !body.endsWith('\n') ? '\n' : '';
      return `${marker} ${body}${lineEnd}`;
    },
  });

  service.addRule('image', {
    filter: 'img',
    replacement: (_content, node) => {
      const alt = node.getAttribute('alt')?.trim();
      return alt ? `[image: ${alt}]` : '';
    },
  });

  return html => service.turndown(html).trim();
}
