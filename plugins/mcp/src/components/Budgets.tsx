import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { McpAdminClient, McpBudget, McpBudgets } from '../api/adminClient';

/** "300 per minute", "20 per 30 s": a budget as people say it. */
export function formatBudget(budget?: McpBudget): string {
  if (!budget) return 'unlimited';
  const { limit, windowMs } = budget;
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [ms, unit] of units) {
    if (windowMs === ms) return `${limit} per ${unit}`;
    if (windowMs % ms === 0) return `${limit} per ${windowMs / ms} ${unit}s`;
  }
  return `${limit} per ${windowMs} ms`;
}

const Row = (props: { who: string; budgets: McpBudgets }) => (
  <TableRow data-testid="mcp-budget">
    <TableCell>{props.who}</TableCell>
    <TableCell>{formatBudget(props.budgets.calls)}</TableCell>
    <TableCell>{formatBudget(props.budgets.writes)}</TableCell>
  </TableRow>
);

/** The call budgets in force: the portal's and each agent's own. */
export const Budgets = (props: { client: McpAdminClient }) => {
  const { value, loading, error } = useAsync(
    () => props.client.budgets(),
    [props.client],
  );
  return (
    <InfoCard title="Call budgets in force">
      <Typography variant="body2" paragraph>
        Calls per principal, counted across replicas; calls of tools that write
        also count against the writes budget.
      </Typography>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <Table size="small" aria-label="Call budgets in force">
          <TableHead>
            <TableRow>
              <TableCell>Who</TableCell>
              <TableCell>All calls</TableCell>
              <TableCell>Calls that write</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            <Row
              who="Every user and agent (mcp.rateLimits)"
              budgets={value.portal}
            />
            {value.defaultAgent && (
              <Row
                who="Agents not listed (mcp.defaultAgent)"
                budgets={value.defaultAgent}
              />
            )}
            {value.agents.map(agent => (
              <Row
                key={agent.subject}
                who={`Agent ${agent.subject}`}
                budgets={agent.budgets}
              />
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};
