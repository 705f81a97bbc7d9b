export interface Config {
  /** Configuration of the MCP plugin (`@backstage-mcp/plugin-mcp-backend`). */
  mcp?: {
    /**
     * When false, every MCP route of the plugin (`/api/mcp`, the named
     * endpoints, the secret entry pages) and the protected-resource metadata
     * answer 503 with a JSON-RPC error saying that the portal's administrators
     * disabled MCP, before any authentication. The configuration is still
     * validated. Default: true.
     */
    enabled?: boolean;

    /**
     * The toolsets to serve. Default: every toolset (`core`, `catalog`, `api`,
     * `scaffolder`, `search`, `techdocs`; `search` needs the search backend in the portal).
     * `core` (the `whoami` tool) is always served.
     */
    toolsets?: string[];

    /**
     * The actions that the plugins listed in `backend.actions.pluginSources`
     * register with Backstage's actions registry, served as tools named
     * `<pluginId>_<action_name>` (snake_case, at most 64 characters; a name
     * a native tool already has gets `_2`), in one toolset per plugin,
     * `<pluginId>-actions`. Calls go through the actions service with the
     * caller's credentials and pass the same gate, budgets and audit as the
     * native tools.
     */
    actions?: {
      /** False: no action is served. Default: true (nothing without pluginSources). */
      enabled?: boolean;
      /**
       * Action ids to serve, as glob patterns (`catalog:*`,
       * `notifications:get-notifications`). Default: every action.
       */
      include?: string[];
      /**
       * Action ids never to serve, as glob patterns. Default: the actions
       * that native tools cover (listed in the README); set `[]` to serve
       * those too.
       */
      exclude?: string[];
      /**
       * How often the action list is read again (it is also read once the
       * backend has started). Default: 5 minutes.
       */
      refreshInterval?: { [unit: string]: number } | string;
    };

    /**
     * When true, only tools whose `readOnlyHint` is true are served, for every
     * caller, whatever the permission policy allows. Default: false.
     */
    readOnly?: boolean;

    /**
     * Browser origins that may call the endpoint, besides the backend's and
     * the app's own `baseUrl`. Requests without an `Origin` header (CLI agents,
     * IDEs) are always accepted; any other origin gets 403, which protects
     * against DNS rebinding. An allowed loopback origin (`localhost`,
     * `127.0.0.1` or `[::1]`) also allows the other two loopback names with
     * the same scheme and port: `http://localhost:7007` accepts
     * `http://127.0.0.1:7007` and `http://[::1]:7007`, never another port,
     * scheme or host. Use `*` only for local experiments.
     */
    allowedOrigins?: string[];

    /**
     * Largest accepted request body, in bytes. Default: 262144 (256 KiB).
     */
    maxRequestBodyBytes?: number;

    /**
     * How long a tool call, resource read, prompt or completion waits for the
     * services it calls (the catalog, its database, other plugins) before it
     * answers with an error that says so. Requests that wait on purpose (a
     * task followed with wait_seconds, a TechDocs build for the TechDocs tools
     * or the docs resource) add their wait to it.
     * From 1 second to 10 minutes. Default: 30 seconds.
     */
    callTimeout?: { [unit: string]: number } | string;

    /**
     * How long a signed-in user's `mcp.tool.invoke` decision is reused by
     * the requests of the same sign-in, instead of asking the permission
     * backend on every request. A policy change reaches a session within
     * this time; the kill switch's block list applies on every request
     * regardless. From 0 (ask on every request) to 5 minutes.
     * Default: 10 seconds.
     */
    toolPermissionTtl?: { [unit: string]: number } | string;

    /** OpenTelemetry metrics and spans (see the README's Observability). */
    telemetry?: {
      /**
       * Put the summary of each call's arguments on its span
       * (`gen_ai.tool.call.arguments`), as the audit records it: values under
       * secret-looking keys redacted, template values by key only. Default: false.
       */
      captureArguments?: boolean;
    };

    /** Limits on the size of tool results. */
    results?: {
      /** Default page size of list tools. Default: 20. */
      defaultPageSize?: number;
      /** Largest page size a caller may ask for. Default: 100. */
      maxPageSize?: number;
      /**
       * Default size budget, in characters, of an API definition returned by
       * `api_get_spec`. Default: 20000.
       */
      defaultSpecChars?: number;
      /**
       * Default size budget, in characters of Markdown, of a TechDocs page
       * returned by `techdocs_get_page`. Default: 20000.
       */
      defaultDocChars?: number;
      /**
       * The most characters of JSON one tool result may have, whatever its
       * arguments (about 15,000 tokens by default, well under the 25,000
       * tokens Claude Code accepts from one tool result). A larger page
       * keeps its first items and says how to page through all of them;
       * other results have their longest texts shortened and say which.
       * `max_chars` of api_get_spec and techdocs_get_page may be at most 80%
       * of it. At least 5000. Default: 60000.
       */
      maxResultChars?: number;
    };

    /** How the TechDocs tools treat docs that are not built yet. */
    techdocs?: {
      /**
       * With `techdocs.builder: local`, a TechDocs tool that finds an
       * entity's docs not built yet asks the TechDocs backend to build them
       * and waits this many seconds, 0 to 600 (0: never start a build).
       * Default: 30.
       */
      buildWaitSeconds?: number;
    };

    /**
     * Field restrictions: fields and annotations left out of (or masked in)
     * every tool result and JSON resource (entities) for every caller. The
     * tool-call and resource-read audit events name the restricted paths
     * (`fieldsRedacted`), never their values. Markdown (TechDocs pages) and
     * search result text are not restricted; filters on a restricted field
     * still select entities.
     */
    redaction?: McpRedactionRules;

    /**
     * Scopes of agents that call with static tokens (service principals),
     * which the permission policy cannot tell apart. Users are governed by
     * the permission policy alone.
     */
    agents?: Array<{
      /** The `subject` of the agent's static token (`backend.auth.externalAccess`). */
      subject: string;
      /**
       * Templates the agent may run with `scaffolder_run_template`: full refs
       * (`template:default/nodejs-service`) or `tag:<tag>`. Unset: any template
       * the permissions allow; empty: none.
       */
      templates?: string[];
      /**
       * Toolsets whose tools the agent may use; `core` (whoami) always. With
       * `tools` as well, a tool passes if either lists it. Unset (and `tools`
       * unset): every tool. Unknown toolsets fail startup.
       */
      toolsets?: string[];
      /** Tools the agent may use, by name. Unknown names fail startup. */
      tools?: string[];
      /** When true, the agent may only use tools whose `readOnlyHint` is true. Default: false. */
      readOnly?: boolean;
      /**
       * The agent's own call budgets, replacing `mcp.rateLimits` budget by
       * budget (set `calls` only, and `writes` stays the global one).
       */
      rateLimits?: McpRateLimits;
      /**
       * Field restrictions for this agent, added to `mcp.redaction`; same
       * shape.
       */
      redaction?: McpRedactionRules;
      /**
       * Who may enter the secrets of this agent's template runs on the
       * portal's secret entry page (`/api/mcp/secrets`). A static token acts
       * for nobody the portal can name, so, unlike the other keys, unset
       * refuses: the agent cannot run templates that need secrets.
       */
      secretEntry?: {
        /**
         * Entity refs of users and groups (`user:default/jane`,
         * `group:default/sre`): a user signed in to the portal who is one of
         * them, or a member of one of the groups, sees the agent's requests
         * and may enter them. Anything but a user or group ref fails startup.
         */
        enteredBy: string[];
      };
    }>;

    /**
     * The scope of every service principal not listed in `agents` (including
     * other plugins), with the same keys as an `agents` entry but no
     * `subject`. A listed agent's entry replaces it. Unset: no restriction
     * beyond the token's accessRestrictions, as before.
     */
    defaultAgent?: {
      /** See `agents[].templates`. */
      templates?: string[];
      /** See `agents[].toolsets`. */
      toolsets?: string[];
      /** See `agents[].tools`. */
      tools?: string[];
      /** See `agents[].readOnly`. */
      readOnly?: boolean;
      /** See `agents[].rateLimits`. */
      rateLimits?: McpRateLimits;
      /** See `agents[].secretEntry`. */
      secretEntry?: {
        /** See `agents[].secretEntry.enteredBy`. */
        enteredBy: string[];
      };
    };

    /**
     * Call budgets per principal (user entity ref or token subject), in
     * fixed windows, counted in the plugin's database (table
     * `mcp_rate_limit_windows`): exact across every replica that shares it.
     * A refused call does nothing and tells the caller when to retry. Unset:
     * no limit, and no database work per call.
     */
    rateLimits?: McpGlobalRateLimits;

    /** The runtime block list of principals, managed under `/api/mcp/admin`. */
    killSwitch?: {
      /**
       * How often each replica rereads the block list from the database: a
       * block applied on one replica takes effect on the others within this
       * interval. Default: 2 seconds; from 100 ms to 1 minute.
       */
      refreshInterval?: { [unit: string]: number } | string;
    };

    /**
     * The portal page where a person enters the secrets of a template run an
     * agent prepared (`/api/mcp/secrets`).
     */
    secretEntry?: {
      /**
       * The key that encrypts (AES-256-GCM) pending template secrets, and
       * everything else about a pending request, in Backstage's cache: 32
       * random bytes written as base64, e.g. the output of
       * `openssl rand -base64 32`. Every replica needs the same key. An
       * invalid value stops the backend at startup; the value is never
       * logged. Changing it drops the requests pending at that moment (at
       * most 10 minutes' worth): their users are asked again.
       *
       * Unset: a key is generated once and kept in the plugin's database,
       * which every replica shares, so secret entry works on any number of
       * replicas and the cache alone never reveals a secret. Set it to keep
       * the key out of the database (e.g. from a secret store).
       *
       * @visibility secret
       */
      encryptionKey?: string;
    };

    /**
     * Named endpoints, each served at `/api/mcp/<name>` with a subset of the
     * tools (and the resources and prompts gated by them), authenticated,
     * permission-checked and audited like `/api/mcp`. Names are lowercase
     * letters, digits and dashes; `secrets`, `admin` and `.well-known` are
     * reserved.
     */
    endpoints?: {
      [name: string]: {
        /**
         * Toolsets served, intersected with `mcp.toolsets`; `core` always.
         * Default: every toolset the plugin serves.
         */
        toolsets?: string[];
        /** When true, only tools whose `readOnlyHint` is true. Default: false. */
        readOnly?: boolean;
      };
    };
  };
}

/** Field restrictions: `mcp.redaction` and `mcp.agents[].redaction`. */
interface McpRedactionRules {
  /**
   * Dot paths of fields, e.g. `spec.profile.email` or `metadata.annotations`.
   * A path applies to every object of a result, at any depth, that has it
   * (the result itself, its `entity`, every item of a list); lists on the
   * way are traversed. Paths starting with `metadata.` also match without
   * that prefix, because results lift metadata (`entity.annotations`).
   * Tools that copy fields under other names declare where (catalog_get_owner:
   * `email`, `display_name`, contacts; catalog_list_values: the values of a
   * restricted field).
   */
  fields?: Array<{
    /** The dot path, e.g. `spec.profile.email`. */
    path: string;
    /** `remove` (default) leaves the field out; `mask` replaces every string in it with "[redacted]". */
    action?: 'remove' | 'mask';
  }>;
  /** Annotations restricted by key, wherever an `annotations` object appears. */
  annotationPatterns?: Array<{
    /**
     * A glob on annotation keys (`*` matches any characters, `/` included),
     * e.g. `vault.io/*` or `*.internal/*`; or a regular expression between
     * slashes, e.g. `/^vault\./`.
     */
    pattern: string;
    /** `remove` (default) leaves the annotation out; `mask` replaces its value with "[redacted]". */
    action?: 'remove' | 'mask';
  }>;
}

/** `mcp.rateLimits`: the budgets of every principal, and how they are checked. */
interface McpGlobalRateLimits extends McpRateLimits {
  /**
   * How long a budget check waits for the plugin's database. When it does
   * not answer in time (or fails), the call runs without its budgets checked
   * (fail open), a warning is logged at most once a minute and the audit
   * event says `rateLimit: { checked: false }`; the kill switch and
   * permissions still apply. E.g. `{ seconds: 2 }` or `"500ms"`. Default: 2
   * seconds; from 10 ms to 1 minute.
   */
  storeTimeout?: { [unit: string]: number } | string;
}

/** Call budgets: `mcp.rateLimits`, `mcp.agents[].rateLimits` and `mcp.defaultAgent.rateLimits`. */
interface McpRateLimits {
  /** Every tool call, resource read and prompt. */
  calls?: {
    /** At most this many per window. */
    limit: number;
    /** The window, e.g. `{ minutes: 1 }` or `"1m"`. Default: 1 minute. */
    window?: { [unit: string]: number } | string;
  };
  /** Calls of tools that are not read-only, counted in `calls` as well. */
  writes?: {
    /** At most this many per window. */
    limit: number;
    /** The window, e.g. `{ minutes: 1 }` or `"1m"`. Default: 1 minute. */
    window?: { [unit: string]: number } | string;
  };
}
