// One place the tests reach into src/server, so a rename touches one file.
export {
  createReferenceApi,
  startServer,
  resolveConfig,
  fixedScriptAgent,
  scriptedAgent,
  type RunningServer,
  type ApiOptions,
  type Agent,
  type AgentRequest,
} from '../../../src/server/index.js';
export type { ServerConfigInput } from '../../../src/server/config.js';
export type { ApiContext } from '../../../src/server/context.js';
export { newId } from '../../../src/server/http.js';
