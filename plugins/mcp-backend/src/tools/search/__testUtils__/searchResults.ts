/*
 * Search results shaped like the ones the search backend returns for the
 * catalog and TechDocs collators, with Lunr's highlight tags.
 */

/** Lunr's highlight tags are made of a random UUID per engine. */
export const PRE = '<5f0c1d2e-hl>';
/** The closing highlight tag. */
export const POST = '</5f0c1d2e-hl>';

/** A catalog collator document, highlighted. */
export const catalogResult = {
  type: 'software-catalog',
  document: {
    title: 'Payment Service',
    text: 'Orchestrates payment intents across Adyen, Stripe and PayPal.',
    componentType: 'service',
    type: 'service',
    namespace: 'default',
    kind: 'Component',
    lifecycle: 'production',
    owner: 'payments-team',
    location: '/catalog/default/component/payment-service',
  },
  rank: 1,
  highlight: {
    preTag: PRE,
    postTag: POST,
    fields: {
      title: `${PRE}Payment${POST} Service`,
      text: `Orchestrates ${PRE}payment${POST} intents across Adyen, Stripe and PayPal.`,
    },
  },
};

/** A TechDocs collator document of one page section, with HTML in its text. */
export const techdocsResult = {
  type: 'techdocs',
  document: {
    kind: 'component',
    namespace: 'default',
    name: 'payment-service',
    title: 'Refunds &amp; retries',
    text: '<p>Refunds are <strong>retried</strong> three times, then parked.</p>',
    path: 'refunds/#retries',
    location: '/docs/default/component/payment-service/refunds/#retries',
    entityTitle: 'Payment Service',
    componentType: 'service',
    lifecycle: 'production',
    owner: 'payments-team',
  },
  rank: 2,
};

/** A result set of one page, as the search backend's JSON. */
export function resultSet(
  results: unknown[],
  extra: { nextPageCursor?: string; numberOfResults?: number } = {},
) {
  return { results, ...extra };
}
