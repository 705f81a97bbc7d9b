import { createLocationParser, toPortalUrl } from './locations';

describe('createLocationParser', () => {
  it.each([
    [
      '/catalog/:namespace/:kind/:name',
      '/catalog/default/component/payment-service',
      { namespace: 'default', kind: 'component', name: 'payment-service' },
    ],
    [
      '/catalog/:namespace/:kind/:name',
      '/catalog/default/component/payment-service/',
      { namespace: 'default', kind: 'component', name: 'payment-service' },
    ],
    [
      '/catalog/:namespace/:kind/:name',
      '/catalog/ops/api/v1%20api',
      { namespace: 'ops', kind: 'api', name: 'v1 api' },
    ],
    [
      '/e/:kind.:name',
      '/e/component.payment-service',
      { kind: 'component', name: 'payment-service' },
    ],
    [
      '/catalog/:namespace/:kind/:name',
      '/docs/default/component/x/page',
      undefined,
    ],
    [
      '/catalog/:namespace/:kind/:name',
      '/catalog/default/component',
      undefined,
    ],
    [
      '/catalog/:namespace/:kind/:name',
      '/catalog/default/component/%E0%A4%A',
      undefined,
    ],
  ])('reads %s from %s', (template, location, expected) => {
    expect(createLocationParser(template)(location)).toEqual(expected);
  });
});

describe('toPortalUrl', () => {
  it.each([
    [
      '/catalog/default/component/x',
      'https://portal.example.com',
      'https://portal.example.com/catalog/default/component/x',
    ],
    [
      '/catalog/default/component/x',
      'https://portal.example.com/backstage/',
      'https://portal.example.com/backstage/catalog/default/component/x',
    ],
    ['/catalog/default/component/x', undefined, '/catalog/default/component/x'],
    [
      'https://wiki.example.com/page',
      'https://portal.example.com',
      'https://wiki.example.com/page',
    ],
    [
      '//evil.example.com/x',
      'https://portal.example.com',
      '//evil.example.com/x',
    ],
    ['relative/page', 'https://portal.example.com', 'relative/page'],
  ])('links %s under %s', (location, appBaseUrl, expected) => {
    expect(toPortalUrl(location, appBaseUrl)).toBe(expected);
  });
});
