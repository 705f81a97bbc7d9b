import { SignInPage } from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Guest sign-in through the auth backend's guest provider, which issues real
 * Backstage tokens (`auth.providers.guest` in app-config.yaml), so that the
 * permission policy and MCP see a user.
 */
const guestSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props =>
      <SignInPage {...props} providers={['guest']} />,
  },
});

/** The app plugin's sign-in page, replaced by the guest one. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [guestSignInPage],
});
