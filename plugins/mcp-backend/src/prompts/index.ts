import { CatalogService } from '@backstage/plugin-catalog-node';
import { createCreateServiceFromTemplatePrompt } from './createServiceFromTemplate';
import { createIncidentTriagePrompt } from './incidentTriage';
import { createOnboardToServicePrompt } from './onboardToService';
import { McpPrompt } from './types';
import { createWhatDoIOwnPrompt } from './whatDoIOwn';

/** The services prompts are built with. */
export interface PromptDependencies {
  catalog: CatalogService;
}

/** Every prompt this server serves, in listing order. */
export function createPrompts(deps: PromptDependencies): McpPrompt[] {
  return [
    createOnboardToServicePrompt(deps),
    createIncidentTriagePrompt(deps),
    createWhatDoIOwnPrompt(deps),
    createCreateServiceFromTemplatePrompt(deps),
  ];
}
