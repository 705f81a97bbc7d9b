import { ResponseError } from '@backstage/errors';

/** A block of the kill switch, as `GET /admin/blocks` lists it. */
export interface McpBlock {
  principal: string;
  reason: string;
  blockedBy: string;
  blockedAt: string;
  expiresAt: string | null;
}

/** At most `limit` calls per `windowMs`. */
export interface McpBudget {
  limit: number;
  windowMs: number;
}

/** A principal's budgets: every call, and calls of tools that write. */
export interface McpBudgets {
  calls?: McpBudget;
  writes?: McpBudget;
}

/** The call budgets in force, as `GET /admin/budgets` answers. */
export interface McpBudgetsInForce {
  portal: McpBudgets;
  agents: Array<{ subject: string; budgets: McpBudgets }>;
  defaultAgent?: McpBudgets;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The MCP plugin's admin routes (`/api/mcp/admin`), as the signed-in user. */
export class McpAdminClient {
  constructor(private readonly fetch: Fetch, private readonly mcpUrl: string) {}

  private async send(path: string, init?: RequestInit): Promise<Response> {
    const response = await this.fetch(`${this.mcpUrl}/admin${path}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  async listBlocks(): Promise<McpBlock[]> {
    const { items } = await (await this.send('/blocks')).json();
    return items;
  }

  async block(
    principal: string,
    reason: string,
    expiresInSeconds?: number,
  ): Promise<McpBlock> {
    const response = await this.send(
      `/blocks/${encodeURIComponent(principal)}`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          reason,
          ...(expiresInSeconds ? { expiresInSeconds } : {}),
        }),
      },
    );
    return response.json();
  }

  async unblock(principal: string): Promise<void> {
    await this.send(`/blocks/${encodeURIComponent(principal)}`, {
      method: 'DELETE',
    });
  }

  async budgets(): Promise<McpBudgetsInForce> {
    return (await this.send('/budgets')).json();
  }
}
