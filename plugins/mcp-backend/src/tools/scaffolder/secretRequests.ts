import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import { SecretCipher } from './secretCipher';

/** How long a user has to enter secrets, and how long they are kept unused. */
export const SECRET_REQUEST_TTL_MS = 10 * 60 * 1000;

/** A secret field of a template, as the entry page shows it. */
export interface SecretField {
  name: string;
  title?: string;
  description?: string;
  required: boolean;
}

/** Secrets a template run waits for, entered by the user on the portal. */
export interface SecretRequest {
  id: string;
  /** Who may use the secrets: the principal that started the run. */
  principal: string;
  templateRef: string;
  fields: SecretField[];
  /** Present once the user submitted the entry page. */
  secrets?: Record<string, string>;
}

const key = (id: string) => `secret-request:${id}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Secret requests, kept in Backstage's cache service so that any replica can
 * serve the entry page and the run that follows (when the cache is shared,
 * e.g. Redis). Everything written is sealed with AES-256-GCM: the cache sees
 * neither the secrets nor the fields and template of a request. Secrets live
 * there at most {@link SECRET_REQUEST_TTL_MS} and are deleted when the run
 * takes them.
 */
export class SecretRequestStore {
  constructor(
    private readonly cache: CacheService,
    private readonly cipher: SecretCipher,
    private readonly logger?: LoggerService,
  ) {}

  async create(options: Omit<SecretRequest, 'id' | 'secrets'>): Promise<SecretRequest> {
    const request: SecretRequest = { id: randomUUID(), ...options };
    await this.save(request);
    return request;
  }

  /** The request; throws {@link UnreadableSecretError} (from ./secretCipher) when this replica cannot open it. */
  async get(id: string): Promise<SecretRequest | undefined> {
    if (!UUID.test(id)) return undefined;
    const sealed = await this.cache.get(key(id));
    if (sealed === undefined) return undefined;
    try {
      return this.cipher.open(sealed, key(id)) as SecretRequest;
    } catch (error) {
      // Said for operators, without the key, the id or anything sealed.
      this.logger?.warn(`MCP secret entry: ${(error as Error).message}`);
      throw error;
    }
  }

  /** Records what the user entered; false when the request expired or was used. */
  async fulfil(id: string, secrets: Record<string, string>): Promise<boolean> {
    const request = await this.get(id);
    if (!request) return false;
    await this.save({ ...request, secrets });
    return true;
  }

  /** Removes the request, so its secrets serve one run only. */
  async delete(id: string): Promise<void> {
    await this.cache.delete(key(id));
  }

  private async save(request: SecretRequest) {
    const sealed = this.cipher.seal(request, key(request.id));
    await this.cache.set(key(request.id), sealed as any, { ttl: SECRET_REQUEST_TTL_MS });
  }
}
