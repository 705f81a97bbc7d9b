import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RedactionAliases } from '../tools/types';
import { RedactionRules } from '../config/redactionConfig';
import { restrictedValuesOf, valuesAt } from './redactResult';

/**
 * Reads, with the caller's credentials, the restricted values of the
 * entities that a result's entity-text items stand for (see
 * `RedactionAliases.entityText`), so that field restrictions also reach
 * free text that quotes them. One batched catalog read, and only when
 * restrictions apply and the result names entities. An entity the caller
 * cannot read is absent from the map: its text is then left out.
 */
export function createEntityTextValueReader(catalog: CatalogService) {
  return async function readEntityTextValues(
    result: unknown,
    aliases: RedactionAliases | undefined,
    rules: RedactionRules,
    credentials: BackstageCredentials,
  ): Promise<Map<string, readonly string[]>> {
    const values = new Map<string, readonly string[]>();
    const entityText = aliases?.entityText;
    if (!entityText || (!rules.fields.length && !rules.annotations.length))
      return values;
    const refs = [
      ...new Set(
        valuesAt(result, entityText.items.split('.'))
          .flat()
          .map(
            item =>
              (item as Record<string, unknown> | undefined)?.[entityText.ref],
          )
          .filter((ref): ref is string => typeof ref === 'string')
          .map(ref => ref.toLowerCase()),
      ),
    ];
    if (!refs.length) return values;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    items.forEach((entity, index) => {
      if (entity) values.set(refs[index], restrictedValuesOf(entity, rules));
    });
    return values;
  };
}

/** Reads the restricted values of entity-text items, see {@link createEntityTextValueReader}. */
export type EntityTextValueReader = ReturnType<
  typeof createEntityTextValueReader
>;
