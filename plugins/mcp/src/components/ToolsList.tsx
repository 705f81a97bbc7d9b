import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { listMcpTools, McpToolSummary } from '../api/mcpTools';

/** What a tool does to the portal, from its annotations (MCP's defaults). */
export function toolEffect(
  tool: McpToolSummary,
): 'read-only' | 'destructive' | 'writes' {
  if (tool.annotations?.readOnlyHint) return 'read-only';
  // MCP: a tool that is not read-only is destructive unless it says otherwise.
  return tool.annotations?.destructiveHint === false ? 'writes' : 'destructive';
}

/** The first paragraph: the rest tells an agent how to call the tool. */
function summary(description = '') {
  return description.split(/\n\s*\n/)[0];
}

/** "Tools you may use": the endpoint's tools/list for the signed-in user. */
export const ToolsList = (props: { mcpUrl: string }) => {
  const fetchApi = useApi(fetchApiRef);
  const { value, loading, error } = useAsync(
    () => listMcpTools(fetchApi.fetch, props.mcpUrl),
    [fetchApi, props.mcpUrl],
  );

  return (
    <InfoCard title="Tools you may use">
      <Typography variant="body2" paragraph>
        What an agent signed in as you is offered, as the portal's permission
        policy decides.
      </Typography>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <Table size="small" aria-label="Tools you may use">
          <TableHead>
            <TableRow>
              <TableCell>Tool</TableCell>
              <TableCell>What it does</TableCell>
              <TableCell>Effect</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.map(tool => {
              const effect = toolEffect(tool);
              return (
                <TableRow key={tool.name} data-testid="mcp-tool">
                  <TableCell style={{ minWidth: 200 }}>
                    <Typography variant="body2">
                      <strong>{tool.title ?? tool.name}</strong>
                    </Typography>
                    <code data-testid="mcp-tool-name">{tool.name}</code>
                  </TableCell>
                  <TableCell>{summary(tool.description)}</TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      label={effect}
                      color={effect === 'destructive' ? 'secondary' : 'default'}
                      variant={effect === 'read-only' ? 'outlined' : 'default'}
                    />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {value && (
        <Typography variant="caption" data-testid="mcp-tool-count">
          {value.length} tools
        </Typography>
      )}
    </InfoCard>
  );
};
