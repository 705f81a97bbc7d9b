import { UserInfoService } from '@backstage/backend-plugin-api';
import { createWhoamiTool } from './whoami';

/** The core toolset: always served. */
export function coreTools(deps: {
  userInfo: UserInfoService;
  serverInfo: { name: string; version: string };
}) {
  return [createWhoamiTool(deps)];
}
