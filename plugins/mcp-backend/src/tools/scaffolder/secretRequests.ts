import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import { SecretCipher, UnreadableSecretError } from './secretCipher';

/** How long a user has to enter secrets, and how long they are kept unused. */
export const SECRET_REQUEST_TTL_MS = 10 * 60 * 1000;

/** Requests listed per person or group: an agent looping cannot grow a list without bound. */
const MAX_LISTED = 20;

/** A secret field of a template, as the entry page shows it. */
export interface SecretField {
  name: string;
  title?: string;
  description?: string;
  required: boolean;
}

/** The MCP client as it named itself: untrusted, shown as such. */
export interface SecretRequestClient {
  name: string;
  version?: string;
}

/** Secrets a template run waits for, entered by a person on the portal. */
export interface SecretRequest {
  id: string;
  /** Who may use the secrets in a run: the principal that asked (see principalKey). */
  principal: string;
  /**
   * Who may enter the secrets: entity refs of users or groups, matched
   * against the signed-in user's ownership refs. For a user principal, that
   * user alone.
   */
  entrants: string[];
  templateRef: string;
  templateTitle?: string;
  client?: SecretRequestClient;
  fields: SecretField[];
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Present once a person submitted the entry page. */
  secrets?: Record<string, string>;
  /** The user who entered the secrets. */
  enteredBy?: string;
  enteredAt?: number;
}

/** What a submission of the entry page came to. */
export type FulfilOutcome =
  | { outcome: 'saved'; request: SecretRequest }
  | { outcome: 'already-entered'; request: SecretRequest }
  | { outcome: 'not-found' };

/** The signed-in person at the entry page. */
export interface SecretEntrant {
  userEntityRef: string;
  /** The user and the groups they belong to. */
  ownershipEntityRefs: string[];
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const requestKey = (id: string) => `secret-request:${id}`;
const entrantKey = (ref: string) => `secret-requests-for:${lower(ref)}`;
const latestKey = (principal: string, templateRef: string) =>
  `secret-request-latest:${principal} ${templateRef}`;

/**
 * Whether the person may enter (and see) a request's secrets form. A user
 * ref matches that user's identity only, never an ownership claim (a
 * sign-in resolver may let one user claim another's ref); a group ref
 * matches its members.
 */
export function mayEnter(
  request: SecretRequest,
  entrant: SecretEntrant,
): boolean {
  const groups = new Set(
    entrant.ownershipEntityRefs
      .map(lower)
      .filter(ref => ref.startsWith('group:')),
  );
  return request.entrants.some(ref =>
    lower(ref).startsWith('group:')
      ? groups.has(lower(ref))
      : lower(ref) === lower(entrant.userEntityRef),
  );
}

/**
 * Secret requests, kept in Backstage's cache service so that any replica can
 * serve the entry page and the run that follows (when the cache is shared,
 * e.g. Redis). Everything written is sealed with AES-256-GCM: the cache sees
 * neither the secrets nor the fields, templates and people of a request.
 * Secrets live there at most {@link SECRET_REQUEST_TTL_MS} unused and are
 * deleted when the run takes them.
 *
 * Besides each request, the store keeps two pointers: per entrant, the
 * requests waiting for them (what the entry page lists), and per principal
 * and template, the latest request (what the next call of a run picks up).
 * The cache has no atomic update: two requests created for one entrant in
 * the same instant on two replicas may leave one off the list until the
 * agent asks again, which lists it anew.
 */
export class SecretRequestStore {
  constructor(
    private readonly cache: CacheService,
    private readonly cipher: SecretCipher,
    private readonly logger?: LoggerService,
  ) {}

  async create(
    options: Omit<
      SecretRequest,
      'id' | 'createdAt' | 'secrets' | 'enteredBy' | 'enteredAt'
    >,
  ): Promise<SecretRequest> {
    const request: SecretRequest = {
      id: randomUUID(),
      createdAt: Date.now(),
      ...options,
    };
    await this.write(requestKey(request.id), request);
    await this.announce(request);
    return request;
  }

  /** The request; throws {@link UnreadableSecretError} when this replica cannot open it. */
  async get(id: string): Promise<SecretRequest | undefined> {
    if (!UUID.test(id)) return undefined;
    return (await this.read(requestKey(id))) as SecretRequest | undefined;
  }

  /** The latest request of a principal for a template, entered or not. */
  async latestFor(
    principal: string,
    templateRef: string,
  ): Promise<SecretRequest | undefined> {
    const pointer = (await this.read(latestKey(principal, templateRef))) as
      | { id?: string }
      | undefined;
    const request = pointer?.id ? await this.get(pointer.id) : undefined;
    return request?.principal === principal &&
      request.templateRef === templateRef
      ? request
      : undefined;
  }

  /**
   * Makes a pending request findable: on the entry page of each entrant and
   * by the next call of its principal for its template. Idempotent, so that
   * asking again repairs a list that lost the request.
   */
  async announce(request: SecretRequest): Promise<void> {
    await this.write(latestKey(request.principal, request.templateRef), {
      id: request.id,
    });
    for (const ref of new Set(request.entrants)) {
      const key = entrantKey(ref);
      let listed: string[] = [];
      try {
        listed =
          ((await this.read(key)) as { ids?: string[] } | undefined)?.ids ?? [];
      } catch (error) {
        // A list sealed with another key is useless here: start a new one.
        if (!(error instanceof UnreadableSecretError)) throw error;
      }
      if (!listed.includes(request.id)) {
        await this.write(key, {
          ids: [request.id, ...listed].slice(0, MAX_LISTED),
        });
      }
    }
  }

  /**
   * The requests a person may enter or has entered, newest first, and
   * whether some could not be opened on this replica.
   */
  async waitingFor(
    entrant: SecretEntrant,
  ): Promise<{ requests: SecretRequest[]; unreadable: boolean }> {
    let unreadable = false;
    const ids = new Set<string>();
    const refs = new Set([
      entrant.userEntityRef,
      ...entrant.ownershipEntityRefs,
    ]);
    for (const ref of refs) {
      try {
        const listed = (await this.read(entrantKey(ref))) as
          | { ids?: string[] }
          | undefined;
        listed?.ids?.forEach(id => ids.add(id));
      } catch (error) {
        if (!(error instanceof UnreadableSecretError)) throw error;
        unreadable = true;
      }
    }
    const requests: SecretRequest[] = [];
    for (const id of ids) {
      try {
        const request = await this.get(id);
        if (request && mayEnter(request, entrant)) requests.push(request);
      } catch (error) {
        if (!(error instanceof UnreadableSecretError)) throw error;
        unreadable = true;
      }
    }
    requests.sort((a, b) => b.createdAt - a.createdAt);
    return { requests, unreadable };
  }

  /**
   * Records what a person entered, once: a request already entered is never
   * overwritten. A request the person may not enter is reported as not
   * found, so that its existence is not revealed. The cache cannot compare
   * and set: two first submissions in the same instant (which only someone
   * allowed to enter can send) may both pass the check, and the later wins.
   */
  async fulfil(
    id: string,
    secrets: Record<string, string>,
    entrant: SecretEntrant,
  ): Promise<FulfilOutcome> {
    const request = await this.get(id);
    if (!request || !mayEnter(request, entrant))
      return { outcome: 'not-found' };
    if (request.secrets) return { outcome: 'already-entered', request };
    const entered: SecretRequest = {
      ...request,
      secrets,
      enteredBy: entrant.userEntityRef,
      enteredAt: Date.now(),
    };
    await this.write(requestKey(id), entered);
    // The run may come up to the TTL after the entry: keep it findable as long.
    await this.write(latestKey(request.principal, request.templateRef), { id });
    return { outcome: 'saved', request: entered };
  }

  /** Removes the request, so its secrets serve one run only. */
  async delete(id: string): Promise<void> {
    let request: SecretRequest | undefined;
    try {
      request = await this.get(id);
    } catch {
      // Unreadable here: still deleted below.
    }
    await this.cache.delete(requestKey(id));
    if (request) {
      const key = latestKey(request.principal, request.templateRef);
      const pointer = (await this.read(key).catch(() => undefined)) as
        | { id?: string }
        | undefined;
      if (pointer?.id === id) await this.cache.delete(key);
    }
  }

  private async write(key: string, value: unknown) {
    await this.cache.set(key, this.cipher.seal(value, key) as any, {
      ttl: SECRET_REQUEST_TTL_MS,
    });
  }

  private async read(key: string): Promise<unknown> {
    const sealed = await this.cache.get(key);
    if (sealed === undefined) return undefined;
    try {
      return this.cipher.open(sealed, key);
    } catch (error) {
      // Said for operators, without the key, the id or anything sealed.
      this.logger?.warn(`MCP secret entry: ${(error as Error).message}`);
      throw error;
    }
  }
}
