import {
  AuthService,
  LoggerService,
  RootLifecycleService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  ActionsService,
  ActionsServiceAction,
} from '@backstage/backend-plugin-api/alpha';
import { ServedTool } from '../mcp/toolInventory';
import { McpTool } from '../tools/types';
import { withTimeout } from '../withTimeout';
import { actionFilter, ActionsBridgeConfig } from '../config/actionsConfig';
import { createActionTool } from './actionTool';
import { actionToolsetName, assignActionToolNames } from './actionToolNames';

/** How long one reading of the action list may take. */
const LIST_TIMEOUT_MS = 30_000;

/**
 * The actions of Backstage's actions registry, served as tools. The list is
 * read after the backend has started and then on the scheduler, never per
 * request: a bridged call costs one request, the invoke.
 */
export class ActionsBridge {
  readonly #actions: ActionsService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #config: ActionsBridgeConfig;
  readonly #takenNames: ReadonlySet<string>;
  readonly #served: (tool: McpTool) => boolean;
  readonly #servesAction: (actionId: string) => boolean;
  /** The last list each plugin answered with, kept while it does not answer. */
  readonly #lastByPlugin = new Map<string, ActionsServiceAction[]>();
  #signature = '';
  #tools: readonly ServedTool[] = [];
  #refreshing?: Promise<void>;

  constructor(options: {
    actions: ActionsService;
    auth: AuthService;
    logger: LoggerService;
    config: ActionsBridgeConfig;
    /** Names of the plugin's own and extension tools, which keep their names. */
    takenNames: Iterable<string>;
    /** Whether the configuration serves a tool (mcp.toolsets, mcp.readOnly). */
    served: (tool: McpTool) => boolean;
  }) {
    this.#actions = options.actions;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#config = options.config;
    this.#takenNames = new Set(options.takenNames);
    this.#served = options.served;
    this.#servesAction = actionFilter(options.config);
  }

  /** Reads the list once the backend has started, then on the scheduler. */
  async start(services: {
    rootLifecycle: RootLifecycleService;
    scheduler: SchedulerService;
  }): Promise<void> {
    if (!this.#config.enabled || !this.#config.pluginSources.length) return;
    // Before every plugin has started, their action routes do not answer.
    services.rootLifecycle.addStartupHook(() => {
      this.refresh().catch(() => undefined);
    });
    await services.scheduler.scheduleTask({
      id: 'mcp-actions-refresh',
      scope: 'local',
      frequency: { milliseconds: this.#config.refreshIntervalMs },
      initialDelay: { milliseconds: this.#config.refreshIntervalMs },
      timeout: { milliseconds: LIST_TIMEOUT_MS * 2 },
      fn: () => this.refresh(),
    });
  }

  /** The bridged tools; the same array until the action list changes. */
  tools = (): readonly ServedTool[] => this.#tools;

  /** Reads the action list again; concurrent calls share one reading. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#read().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #read(): Promise<void> {
    let listed: ActionsServiceAction[];
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      ({ actions: listed } = await withTimeout(
        this.#actions.list({ credentials }),
        LIST_TIMEOUT_MS,
        () =>
          new Error(
            `the actions registry did not answer within ${
              LIST_TIMEOUT_MS / 1000
            } s`,
          ),
      ));
    } catch (error) {
      this.#logger.warn(
        `Could not read the actions registry; MCP keeps serving the actions it had: ${error}`,
      );
      throw error;
    }
    this.#apply(listed);
  }

  #apply(listed: ActionsServiceAction[]) {
    const sources = new Set(this.#config.pluginSources);
    const byPlugin = new Map<string, ActionsServiceAction[]>();
    for (const action of listed) {
      if (!sources.has(action.pluginId)) continue;
      byPlugin.set(action.pluginId, [
        ...(byPlugin.get(action.pluginId) ?? []),
        action,
      ]);
    }
    for (const source of sources) {
      const fresh = byPlugin.get(source);
      // The actions service answers nothing for a plugin it could not reach;
      // a plugin's actions come from its code, so its last list still holds.
      if (fresh) this.#lastByPlugin.set(source, fresh);
      else if (this.#lastByPlugin.has(source)) {
        this.#logger.warn(
          `The ${source} plugin listed no actions; MCP keeps serving the ones it listed before`,
        );
      }
    }
    const actions = [...this.#lastByPlugin.values()]
      .flat()
      .filter(
        action => this.#servesAction(action.id) && !action.schema?.secrets,
      )
      .sort((a, b) => a.id.localeCompare(b.id));
    const signature = JSON.stringify(actions);
    if (signature === this.#signature) return;

    const names = assignActionToolNames(actions, this.#takenNames);
    const tools = actions
      .map((action, index) => {
        try {
          return createActionTool({
            action,
            name: names[index],
            toolset: actionToolsetName(action.pluginId),
            actions: this.#actions,
          });
        } catch (error) {
          this.#logger.warn(
            `MCP cannot serve the action ${action.id}: ${error}`,
          );
          return undefined;
        }
      })
      .filter(
        (entry): entry is ServedTool =>
          entry !== undefined && this.#served(entry.tool),
      );
    this.#signature = signature;
    this.#tools = tools;
    this.#logger.info(
      `MCP serves ${tools.length} actions of the actions registry as tools: ${
        tools.map(t => t.tool.name).join(', ') || 'none'
      }`,
    );
  }
}
