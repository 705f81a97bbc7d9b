import {
  isPageFile,
  pagePathOfFile,
  parsePagePath,
  resolveSiteLink,
} from './pagePaths';

describe('parsePagePath', () => {
  it.each([
    ['/', ['index.html'], undefined],
    ['', ['index.html'], undefined],
    ['/runbook/', ['runbook/index.html'], undefined],
    ['runbook', ['runbook/index.html', 'runbook.html'], undefined],
    ['runbook.md', ['runbook/index.html', 'runbook.html'], undefined],
    [
      'guides/setup.md',
      ['guides/setup/index.html', 'guides/setup.html'],
      undefined,
    ],
    ['guides/index.md', ['guides/index.html'], undefined],
    ['README.md', ['index.html'], undefined],
    ['index.md', ['index.html'], undefined],
    ['runbook.html', ['runbook.html'], undefined],
    ['/runbook/index.html', ['runbook/index.html'], undefined],
    ['/runbook/#rolling-back', ['runbook/index.html'], 'rolling-back'],
    ['#contacts', ['index.html'], 'contacts'],
    ['/runbook/?q=x', ['runbook/index.html'], undefined],
  ])('reads %j', (input, candidates, anchor) => {
    expect(parsePagePath(input)).toEqual({ candidates, anchor });
  });

  it.each(['../other/index.html', 'guides/../../x', './runbook', 'a\\b'])(
    'refuses %j',
    input => {
      expect(() => parsePagePath(input)).toThrow(/is not a page path/);
    },
  );
});

describe('pagePathOfFile and isPageFile', () => {
  it.each([
    ['index.html', '/', true],
    ['runbook/index.html', '/runbook/', true],
    ['guides/setup/index.html', '/guides/setup/', true],
    ['about.html', '/about.html', true],
    ['404.html', '/404.html', false],
    ['search/search_index.json', '/search/search_index.json', false],
    ['css/base.css', '/css/base.css', false],
  ])('%s', (file, path, isPage) => {
    expect(pagePathOfFile(file)).toBe(path);
    expect(isPageFile(file)).toBe(isPage);
  });
});

describe('resolveSiteLink', () => {
  it.each([
    [
      'runbook/#certificate-expiry',
      'authentication/index.html',
      '../runbook/#certificate-expiry',
      '/runbook/#certificate-expiry',
    ],
    [
      'a sibling page',
      'authentication/index.html',
      '../api-usage/',
      '/api-usage/',
    ],
    ['the home page', 'runbook/index.html', '..', '/'],
    ['a link from the home page', 'index.html', 'auth/', '/auth/'],
    ['an anchor on the page', 'runbook/index.html', '#capacity', '#capacity'],
    [
      'another site',
      'index.html',
      'https://www.mkdocs.org/',
      'https://www.mkdocs.org/',
    ],
    [
      'mail',
      'index.html',
      'mailto:payments@acme-retail.example',
      'mailto:payments@acme-retail.example',
    ],
    ['an asset', 'runbook/index.html', '../img/flow.png', '/img/flow.png'],
    ['an escaped path', 'index.html', 'my%20page/', '/my page/'],
    ['a malformed escape', 'index.html', 'bad%zz/', '/bad%zz/'],
  ])('resolves %s', (_name, pageFile, href, expected) => {
    expect(resolveSiteLink(href, pageFile)).toBe(expected);
  });
});
