import { UserInfoService } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { defineTool } from '../types';

/** `whoami`: the caller's identity and tools; doubles as a connection check. */
export function createWhoamiTool(deps: {
  userInfo: UserInfoService;
  serverInfo: { name: string; version: string };
}) {
  const { userInfo, serverInfo } = deps;
  return defineTool({
    name: 'whoami',
    title: 'Who am I',
    toolset: 'core',
    description: [
      'Who you act as (user and groups, or service), your tools and the server version: call it on a connection or permission problem. No arguments: {}',
    ].join('\n'),
    inputSchema: z.strictObject({}),
    outputSchema: z.object({
      principal: z.object({
        type: z.enum(['user', 'service']),
        user_entity_ref: z
          .string()
          .optional()
          .describe('Your user entity, e.g. "user:default/jane.doe"'),
        ownership_refs: z
          .array(z.string())
          .optional()
          .describe(
            'The refs you own things through: yourself and your groups',
          ),
        subject: z
          .string()
          .optional()
          .describe(
            'The service or static token subject, for service principals',
          ),
      }),
      tools: z.array(z.string()).describe('The tools you may use'),
      server: z.object({ name: z.string(), version: z.string() }),
    }),
    downstreamPermissions: [],
    annotations: readOnlyAnnotations,
    async handle(_input, { caller, listAllowedToolNames }) {
      const principal = caller.principal as
        | { type: 'user'; userEntityRef: string }
        | { type: 'service'; subject: string };
      if (principal.type === 'user') {
        const info = await userInfo.getUserInfo(caller);
        return {
          principal: {
            type: 'user' as const,
            user_entity_ref: info.userEntityRef,
            ownership_refs: info.ownershipEntityRefs,
          },
          tools: listAllowedToolNames(),
          server: serverInfo,
        };
      }
      return {
        principal: { type: 'service' as const, subject: principal.subject },
        tools: listAllowedToolNames(),
        server: serverInfo,
      };
    },
  });
}
