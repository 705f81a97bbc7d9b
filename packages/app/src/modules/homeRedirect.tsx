import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Navigate } from 'react-router-dom';

/** The portal has no home page of its own: `/` opens the catalog. */
const homeRedirect = PageBlueprint.make({
  name: 'home-redirect',
  params: {
    path: '/',
    loader: async () => <Navigate to="/catalog" replace />,
  },
});

/** `/` redirects to the catalog. */
export const homeRedirectModule = createFrontendModule({
  pluginId: 'app',
  extensions: [homeRedirect],
});
