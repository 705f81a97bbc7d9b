import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { ResponseError } from '@backstage/errors';
import { FormEvent, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { McpAdminClient } from '../api/adminClient';

/** The admin API's reason ("You cannot block yourself"), not just the status. */
function reasonOf(error: Error): string {
  return error instanceof ResponseError
    ? error.body?.error?.message ?? error.message
    : error.message;
}

/** Read by screen readers, not shown. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** The kill switch: who is blocked from MCP, block and unblock. */
export const BlockList = (props: { client: McpAdminClient }) => {
  const { client } = props;
  const blocks = useAsyncRetry(() => client.listBlocks(), [client]);
  const [principal, setPrincipal] = useState('');
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('');
  const [actionError, setActionError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(undefined);
    try {
      await action();
      blocks.retry();
      return true;
    } catch (error) {
      setActionError(error as Error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const expiresInSeconds = hours
      ? Math.round(Number(hours) * 3600)
      : undefined;
    if (
      await run(() =>
        client.block(principal.trim(), reason.trim(), expiresInSeconds),
      )
    ) {
      setPrincipal('');
      setReason('');
      setHours('');
    }
  };

  return (
    <InfoCard title="Blocked from MCP">
      <Typography variant="body2" paragraph>
        A blocked user or agent is refused every MCP call on every replica
        within seconds, whatever its token or the policy allows.
      </Typography>
      {blocks.loading && !blocks.value && <Progress />}
      {blocks.error && <ResponseErrorPanel error={blocks.error} />}
      {blocks.value && blocks.value.length === 0 && (
        <Typography variant="body2" data-testid="mcp-no-blocks">
          Nobody is blocked.
        </Typography>
      )}
      {blocks.value && blocks.value.length > 0 && (
        <Table size="small" aria-label="Blocked principals">
          <TableHead>
            <TableRow>
              <TableCell>Principal</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Blocked by</TableCell>
              <TableCell>Until</TableCell>
              <TableCell>
                <span style={VISUALLY_HIDDEN}>Actions</span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {blocks.value.map(block => (
              <TableRow key={block.principal} data-testid="mcp-block">
                <TableCell>
                  <code>{block.principal}</code>
                </TableCell>
                <TableCell>{block.reason}</TableCell>
                <TableCell>{block.blockedBy}</TableCell>
                <TableCell>
                  {block.expiresAt
                    ? new Date(block.expiresAt).toLocaleString()
                    : 'lifted by hand'}
                </TableCell>
                <TableCell>
                  <Button
                    variant="outlined"
                    size="small"
                    disabled={busy}
                    onClick={() => run(() => client.unblock(block.principal))}
                    aria-label={`Unblock ${block.principal}`}
                  >
                    Unblock
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <form
        onSubmit={submit}
        aria-label="Block a user or agent"
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 16,
          alignItems: 'flex-end',
          marginTop: 16,
        }}
      >
        <TextField
          id="mcp-block-principal"
          label="User or agent"
          helperText="A user ref (user:default/jane) or a token's subject"
          value={principal}
          onChange={event => setPrincipal(event.target.value)}
          required
        />
        <TextField
          id="mcp-block-reason"
          label="Reason"
          helperText="The blocked agent is told"
          value={reason}
          onChange={event => setReason(event.target.value)}
          required
          inputProps={{ maxLength: 500 }}
        />
        <TextField
          id="mcp-block-hours"
          label="Hours (optional)"
          helperText="Lifted by itself after this long"
          type="number"
          value={hours}
          onChange={event => setHours(event.target.value)}
          inputProps={{ min: 0.01, step: 'any' }}
        />
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy}
        >
          Block
        </Button>
      </form>
      {actionError && (
        <Typography role="alert" color="error" style={{ marginTop: 8 }}>
          {reasonOf(actionError)}
        </Typography>
      )}
    </InfoCard>
  );
};
