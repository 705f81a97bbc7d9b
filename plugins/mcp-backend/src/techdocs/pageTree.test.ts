import { fixtureSite } from './__testUtils__/fakeTechDocs';
import { DocsSite } from './docsSite';
import {
  inNavigationOrder,
  listSitePages,
  navigationLinks,
  pagesFromFiles,
  pagesFromSearchIndex,
} from './pageTree';

const site = fixtureSite();
const metadata = JSON.parse(site['techdocs_metadata.json']);

function docsSite(
  files: Record<string, string>,
  fileList: string[] | undefined = metadata.files,
) {
  const read: string[] = [];
  const value: DocsSite = {
    ref: 'component:default/payment-service',
    siteEntity: {
      kind: 'component',
      namespace: 'default',
      name: 'payment-service',
    },
    metadata: { ...metadata, files: fileList },
    buildTriggered: false,
    readFile: async file => {
      read.push(file);
      if (files[file] === undefined)
        throw Object.assign(new Error(`no ${file}`), { name: 'NotFoundError' });
      return files[file];
    },
  };
  return { site: value, read };
}

describe('the page tree of a real TechDocs site', () => {
  it('reads the navigation of the home page, in order', () => {
    expect([...navigationLinks(site['index.html']).entries()]).toEqual([
      ['/', 'Payment Service'],
      ['/authentication/', 'Authentication'],
      ['/api-usage/', 'API usage'],
      ['/runbook/', 'Runbook'],
    ]);
  });

  it('lists the pages of the search index, which follows the file names, with their sections', () => {
    const pages = pagesFromSearchIndex(
      JSON.parse(site['search/search_index.json']),
    );
    expect(pages.map(p => p.path)).toEqual([
      '/',
      '/api-usage/',
      '/authentication/',
      '/runbook/',
    ]);
    expect(pages[0]).toEqual({
      path: '/',
      title: 'Overview',
      sections: [
        { title: 'Payment Service', id: 'payment-service' },
        { title: 'What it does', id: 'what-it-does' },
        { title: 'Architecture', id: 'architecture' },
        { title: 'Service level objectives', id: 'service-level-objectives' },
        { title: 'Contacts', id: 'contacts' },
      ],
    });
  });

  it('lists pages titled by the search index in navigation order', async () => {
    const { site: docs, read } = docsSite(site);
    const pages = await listSitePages(docs);
    expect(pages.map(p => [p.path, p.title])).toEqual([
      ['/', 'Overview'],
      ['/authentication/', 'Authentication'],
      ['/api-usage/', 'API usage'],
      ['/runbook/', 'Runbook'],
    ]);
    expect(read).toEqual(['index.html', 'search/search_index.json']);
  });

  it('falls back to the file list and the navigation without a search index', async () => {
    const { 'search/search_index.json': _index, ...withoutIndex } = site;
    const files = metadata.files.filter(
      (f: string) => !f.startsWith('search/'),
    );
    const { site: docs, read } = docsSite(withoutIndex, files);
    const pages = await listSitePages(docs);
    expect(pages).toEqual([
      { path: '/', title: 'Payment Service' },
      { path: '/authentication/', title: 'Authentication' },
      { path: '/api-usage/', title: 'API usage' },
      { path: '/runbook/', title: 'Runbook' },
    ]);
    expect(read).toEqual(['index.html']);
  });

  it('falls back to the file list when the search index is not JSON', async () => {
    const { site: docs } = docsSite({
      ...site,
      'search/search_index.json': '<html>',
    });
    const pages = await listSitePages(docs);
    expect(pages.map(p => p.path)).toEqual([
      '/',
      '/authentication/',
      '/api-usage/',
      '/runbook/',
    ]);
  });
});

describe('pagesFromFiles and inNavigationOrder', () => {
  it('titles unlinked pages by path and puts them last', () => {
    const navigation = new Map([
      ['/b/', 'B page'],
      ['/', 'Home'],
    ]);
    const pages = pagesFromFiles(
      ['index.html', 'a/index.html', 'b/index.html', '404.html', 'css/x.css'],
      navigation,
    );
    expect(inNavigationOrder(pages, navigation)).toEqual([
      { path: '/b/', title: 'B page' },
      { path: '/', title: 'Home' },
      { path: '/a/', title: '/a/' },
    ]);
  });
});
