import { createApp } from '@backstage/frontend-defaults';
import authPlugin from '@backstage/plugin-auth';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import mcpPlugin from '@backstage-mcp/plugin-mcp';
import { homeRedirectModule } from './modules/homeRedirect';
import { signInModule } from './modules/signIn';

/**
 * The demo portal. Features are listed rather than discovered, so that the
 * page set is what this file says whatever else the app depends on.
 * `authPlugin` is the consent page of the auth backend's OAuth authorization
 * server (`/oauth2/authorize/:sessionId`), where agents' clients send people.
 */
export default createApp({
  features: [
    signInModule,
    homeRedirectModule,
    catalogPlugin,
    techdocsPlugin,
    searchPlugin,
    userSettingsPlugin,
    authPlugin,
    mcpPlugin,
  ],
});
