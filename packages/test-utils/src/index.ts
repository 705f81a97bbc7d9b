/**
 * Test utilities shared by the plugin's tests, the demo backend's
 * end-to-end tests and the benchmark.
 *
 * @packageDocumentation
 */
export * from './mcpClients';
export * from './oauthClient';
