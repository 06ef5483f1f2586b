/**
 * `npm run serve -- [--port 8787] [--host 127.0.0.1] [--config FILE] [--test-hooks]`.
 * Prints one line with the URL once listening; tests read the first URL printed.
 */
import { parseArgs } from 'node:util';
import { DEV_CONFIG, loadConfigFile, resolveConfig } from './config.js';
import { startServer } from './index.js';
import { agentFromEnv } from './agents/openai-compatible.js';
import { plannerAgent } from './agents/planner.js';

const HELP = `Usage: npm run serve -- [options]
  --port N         port to listen on (default 8787; 0 picks a free one)
  --host HOST      interface to bind (default 127.0.0.1)
  --config FILE    JSON config of tokens, origins and surfaces (default: the dev config)
  --test-hooks     mount /__test/* for browser tests (never in production)`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        config: { type: 'string' },
        'test-hooks': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
    process.exit(2);
  }
  let config;
  try {
    config = values.config ? await loadConfigFile(values.config) : resolveConfig(DEV_CONFIG);
  } catch (error) {
    console.error(`Cannot use the config: ${(error as Error).message}`);
    process.exit(2);
  }
  // A real model when WEBMCP_OPENAI_MODEL is set (README "A real model"); the offline planner otherwise.
  const model = agentFromEnv() ?? plannerAgent();
  const server = await startServer({
    port,
    host: values.host,
    config,
    testHooks: values['test-hooks'],
    agent: () => model,
  });
  console.log(`webmcp-chat reference API listening on ${server.url}`);
  console.error(`(agent: ${model.name})`);
  if (!values.config) console.error('(dev config: tokens ct_test_demo, ct_test_strict, ct_test_narrow; see README "The reference API")');
  if (values['test-hooks']) console.error('(test hooks mounted at /__test/*)');
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
