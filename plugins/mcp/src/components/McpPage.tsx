import { Content, Progress } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { mcpAdminPermission } from '@backstage-mcp/plugin-mcp-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { McpAdminClient } from '../api/adminClient';
import { BlockList } from './BlockList';
import { Budgets } from './Budgets';
import { ConnectAgent } from './ConnectAgent';
import { ToolsList } from './ToolsList';

/** Only holders of `mcp.admin` see it; the admin routes check it again. */
const Administration = (props: { mcpUrl: string }) => {
  const fetchApi = useApi(fetchApiRef);
  const client = useMemo(
    () => new McpAdminClient(fetchApi.fetch, props.mcpUrl),
    [fetchApi, props.mcpUrl],
  );
  return (
    <>
      <Grid item xs={12}>
        <Typography variant="h5" component="h2">
          Administration
        </Typography>
      </Grid>
      <Grid item xs={12}>
        <BlockList client={client} />
      </Grid>
      <Grid item xs={12}>
        <Budgets client={client} />
      </Grid>
    </>
  );
};

/** The MCP page: connect an agent, your tools, and administration. */
export const McpPage = () => {
  const discoveryApi = useApi(discoveryApiRef);
  const { value: mcpUrl } = useAsync(
    () => discoveryApi.getBaseUrl('mcp'),
    [discoveryApi],
  );
  const admin = usePermission({ permission: mcpAdminPermission });

  if (!mcpUrl) return <Progress />;
  return (
    <Content>
      <Grid container spacing={3} data-testid="mcp-page">
        <Grid item xs={12}>
          <ConnectAgent mcpUrl={mcpUrl} />
        </Grid>
        <Grid item xs={12}>
          <ToolsList mcpUrl={mcpUrl} />
        </Grid>
        {admin.allowed && <Administration mcpUrl={mcpUrl} />}
      </Grid>
    </Content>
  );
};
