import { fixtureSite } from './__testUtils__/fakeTechDocs';
import { createMarkdownConverter } from './markdownConverter';
import { convertPage } from './pageMarkdown';
import { joinSections } from './pageSections';

const toMarkdown = createMarkdownConverter();
const site = fixtureSite();

function convert(file: string, html = site[file]) {
  const page = convertPage(html, { pageFile: file, toMarkdown });
  return { ...page, markdown: joinSections(page.sections) };
}

describe('convertPage on a real TechDocs page (Debian mkdocs 1.4.2, MkDocs theme)', () => {
  const page = convert('authentication/index.html');

  it('keeps the article and drops navigation, search, footer, scripts and permalinks', () => {
    expect(page.title).toBe('Authentication');
    expect(
      page.markdown.startsWith(
        '# Authentication\n\nEvery call to the payment service',
      ),
    ).toBe(true);
    for (const noise of [
      'Previous',
      'Next',
      'Search',
      'Keyboard Shortcuts',
      'Documentation built with',
      'Toggle',
      '¶',
      'hljs',
      'base_url',
      'Table of Contents',
    ]) {
      expect({ noise, found: page.markdown.includes(noise) }).toEqual({
        noise,
        found: false,
      });
    }
    // The navigation lists the other pages; the article mentions none of them.
    expect(page.markdown).not.toContain('API usage');
  });

  it('keeps code blocks with their language', () => {
    expect(page.markdown).toContain(
      '```bash\ncurl -s https://auth.internal.acme-retail.example/oauth2/token \\\n  -u "$CLIENT_ID:$CLIENT_SECRET" \\',
    );
    expect(page.markdown).toContain(
      '```java\npublic final class PaymentTokenProvider {\n  private final OAuthClient client;',
    );
    expect(page.markdown).toContain(
      '```http\nPOST /payment-intents HTTP/1.1\n',
    );
  });

  it('keeps tables as GitHub-flavoured Markdown', () => {
    expect(page.markdown).toContain(
      [
        '| Scope | Allows | Typical caller |',
        '| --- | --- | --- |',
        '| `payments:intents:write` | create, confirm and cancel payment intents | checkout-service |',
      ].join('\n'),
    );
  });

  it('quotes admonitions with their kind and title', () => {
    expect(page.markdown).toContain(
      '> **Warning: Least privilege**\n>\n> Ask for the scopes you call, nothing more.',
    );
  });

  it('turns links to other pages into page paths', () => {
    expect(page.markdown).toContain(
      'see the [runbook](/runbook/#certificate-expiry)',
    );
  });

  it('splits the page at its headings, with anchors', () => {
    expect(
      page.sections.map(
        s => s.heading && [s.heading.level, s.heading.id, s.heading.title],
      ),
    ).toEqual([
      [1, 'authentication', 'Authentication'],
      [2, 'getting-a-token', 'Getting a token'],
      [2, 'scopes', 'Scopes'],
      [2, 'calling-the-api', 'Calling the API'],
      [2, 'errors', 'Errors'],
      [2, 'key-rotation', 'Key rotation'],
    ]);
    expect(page.sections[2].markdown.startsWith('## Scopes\n\n|')).toBe(true);
  });

  it('is a fraction of the HTML', () => {
    const html = site['authentication/index.html'];
    expect(page.markdown.length).toBeLessThan(html.length * 0.3);
  });

  it('keeps nested lists, numbered, on the long runbook page', () => {
    const runbook = convert('runbook/index.html');
    expect(runbook.markdown).toContain(
      '2. If every PSP is affected, look at the `error_class` label:\n   - `db_timeout`: the database is slow',
    );
    expect(runbook.markdown.length).toBeGreaterThan(30_000);
    expect(
      runbook.sections.filter(s => s.heading?.level === 3).length,
    ).toBeGreaterThan(40);
  });
});

/** A page as MkDocs Material (and TechDocs' techdocs-core plugin) builds it. */
const MATERIAL_PAGE = `<!doctype html><html><head><title>Setup - Demo docs</title><script>var x = 1</script></head>
<body><header class="md-header"><nav>Demo docs <form class="md-search"><input placeholder="Search"></form></nav></header>
<div class="md-container"><main class="md-main"><div class="md-main__inner">
<div class="md-sidebar md-sidebar--primary"><nav class="md-nav md-nav--primary"><a href="../">Home</a><a href="./">Setup</a></nav></div>
<div class="md-content" data-md-component="content"><article class="md-content__inner md-typeset">
<a href="https://github.com/acme/demo/edit/main/docs/setup.md" title="Edit this page" class="md-content__button md-icon"><svg><path d="M1"/></svg></a>
<h1 id="setup">Setup<a class="headerlink" href="#setup" title="Permanent link">&para;</a></h1>
<p>Install the <strong>CLI</strong> first.</p>
<div class="language-yaml highlight"><pre><span></span><code><span class="nt">key</span><span class="p">:</span> <span class="l">value</span>
<span class="nt">list</span><span class="p">:</span> <span class="p">[</span><span class="nv">a</span><span class="p">]</span>
</code></pre></div>
<details class="tip"><summary>Shortcut</summary><p>Use <code>make setup</code>.</p></details>
<p><img src="../img/arch.png" alt="Architecture diagram"></p><p><img src="../img/spacer.gif"></p>
<pre><code>echo "\`\`\` inside"
</code></pre>
<aside class="md-source-file">Last update: 2024-05-01</aside>
</article></div></div></main>
<footer class="md-footer"><a href="../next/">Next</a></footer></div></body></html>`;

describe('convertPage on other themes', () => {
  it('reads a Material page: article only, highlighted code, details, images as alt text', () => {
    const page = convert('setup/index.html', MATERIAL_PAGE);
    expect(page.title).toBe('Setup');
    expect(page.markdown).toBe(
      [
        '# Setup',
        '',
        'Install the **CLI** first.',
        '',
        '```yaml',
        'key: value',
        'list: [a]',
        '```',
        '',
        '> **Tip: Shortcut**',
        '>',
        '> Use `make setup`.',
        '',
        '[image: Architecture diagram]',
        '',
        '````',
        'echo "``` inside"',
        '````',
      ].join('\n'),
    );
  });

  it('steps into wrappers (Read the Docs theme) to split at the headings', () => {
    const html = `<html><head><title>Guide - Demo</title></head><body>
<nav class="wy-nav-side" role="navigation"><a href="../">Home</a></nav>
<div class="rst-content"><div role="navigation" class="wy-breadcrumbs">Docs » Guide</div>
<div role="main" class="document"><div class="section">
<h1 id="guide">Guide</h1><p>Intro.</p><h2 id="steps">Steps</h2><ol><li>One</li><li>Two</li></ol>
</div></div><footer><div class="rst-footer-buttons"><a href="../next/">Next</a></div></footer></div></body></html>`;
    const page = convert('guide/index.html', html);
    expect(page.sections.map(s => s.heading?.id)).toEqual(['guide', 'steps']);
    expect(page.markdown).toBe(
      '# Guide\n\nIntro.\n\n## Steps\n\n1. One\n2. Two',
    );
  });

  it('keeps text before the first heading, and titles a page without h1 from its document title', () => {
    const page = convert(
      'notes/index.html',
      '<html><head><title>Notes - Demo</title></head><body><div role="main"><p>Loose notes.</p><h2>Open questions</h2><p>None.</p></div></body></html>',
    );
    expect(page.title).toBe('Notes');
    expect(page.sections).toEqual([
      { heading: undefined, markdown: 'Loose notes.' },
      {
        heading: { level: 2, title: 'Open questions', id: 'open-questions' },
        markdown: '## Open questions\n\nNone.',
      },
    ]);
  });
});
