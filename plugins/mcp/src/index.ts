/**
 * The MCP page of a Backstage portal (new frontend system).
 *
 * @packageDocumentation
 */
import { mcpPlugin } from './plugin';

export { mcpPlugin };
export default mcpPlugin;
