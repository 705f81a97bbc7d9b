import { InfoCard } from '@backstage/core-components';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { CopyButton } from './CopyButton';
import { ConnectAuth, connectSnippets, TOKEN_VARIABLE } from './snippets';

/** "Connect your agent": each client's configuration for this portal. */
export const ConnectAgent = (props: { mcpUrl: string }) => {
  const { mcpUrl } = props;
  const [auth, setAuth] = useState<ConnectAuth>('oauth');
  const snippets = connectSnippets(mcpUrl, auth);

  return (
    <InfoCard title="Connect your agent">
      <Typography variant="body1" paragraph>
        This portal serves MCP at <code data-testid="mcp-url">{mcpUrl}</code>.
        Agents act as you: the tools and data they reach are the ones the
        portal's permission policy gives you.
      </Typography>
      <FormControl component="fieldset">
        <FormLabel component="legend">How the agent signs in</FormLabel>
        <RadioGroup
          row
          name="mcp-auth"
          value={auth}
          onChange={event => setAuth(event.target.value as ConnectAuth)}
        >
          <FormControlLabel
            value="oauth"
            control={<Radio />}
            label="OAuth: sign in to the portal in your browser (recommended)"
          />
          <FormControlLabel
            value="token"
            control={<Radio />}
            label="Static token from your portal's administrators"
          />
        </RadioGroup>
      </FormControl>
      {auth === 'token' && (
        <Typography variant="body2" paragraph>
          Set <code>{TOKEN_VARIABLE}</code> in the agent's environment to the
          token; the configurations below read it from there.
        </Typography>
      )}
      <Grid container spacing={2}>
        {snippets.map(snippet => (
          <Grid item xs={12} md={6} key={snippet.id}>
            <section aria-labelledby={`mcp-connect-${snippet.id}`}>
              <Typography
                variant="h6"
                component="h3"
                id={`mcp-connect-${snippet.id}`}
              >
                {snippet.client}
              </Typography>
              <Typography variant="caption" component="p">
                {snippet.where}
              </Typography>
              <pre
                data-testid={`mcp-snippet-${snippet.id}`}
                style={{
                  whiteSpace: 'pre-wrap',
                  wordBreak: 'break-all',
                  padding: 8,
                  borderRadius: 4,
                  background: 'rgba(127,127,127,0.12)',
                }}
              >
                {snippet.text}
              </pre>
              <CopyButton
                text={snippet.text}
                label={`Copy the ${snippet.client} configuration`}
              />
            </section>
          </Grid>
        ))}
      </Grid>
    </InfoCard>
  );
};
