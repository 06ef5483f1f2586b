/**
 * The local reference API: `createReferenceApi` for any web-standard host,
 * `startServer` to listen on Node.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createReferenceApi, type ApiOptions, type ReferenceApi } from './app.js';
import { DEV_CONFIG, resolveConfig, type ServerConfig } from './config.js';

export { createReferenceApi, type ApiOptions, type ReferenceApi } from './app.js';
export { DEFAULTS, DEV_CONFIG, loadConfigFile, parseConfig, resolveConfig, type ServerConfig, type TokenConfig } from './config.js';
export type { Agent, AgentMessage, AgentRequest, AgentStep, AgentTool, AgentToolCall } from './agents/types.js';
export { scriptedAgent } from './agents/scripted.js';
export { fixedScriptAgent, type ScriptTurn, type ScriptStep } from './agents/fixed-script.js';

export interface StartOptions extends Omit<ApiOptions, 'testHooks'> {
  port?: number;
  host?: string;
  /** The dev config when absent. */
  config?: ServerConfig;
  testHooks?: boolean;
}

export interface RunningServer {
  url: string;
  api: ReferenceApi;
  close(): Promise<void>;
}

export function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { port = 8787, host = '127.0.0.1', config = resolveConfig(DEV_CONFIG), ...apiOptions } = options;
  const api = createReferenceApi(config, apiOptions);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: api.fetch, port, hostname: host }, (info: AddressInfo) => {
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        api,
        close: () =>
          new Promise<void>((done) => {
            // Open SSE streams would hold close() forever; end them.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}
