import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The MCP page. */
export const rootRouteRef = createRouteRef();
