import { parseArgs } from 'node:util';
import { ensureDemoApp, printDemoSnippets } from '../demo.js';
import { startGateway } from '../runtime.js';

export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, demo: { type: 'boolean' }, seed: { type: 'string' } },
  });
  const gateway = await startGateway({ port: values.port, host: values.host, dataDir: values.data, seed: values.seed });
  const { services } = gateway;
  if (values.demo) printDemoSnippets(await ensureDemoApp(services), gateway.url, services.platform.publicKeyPem);
  services.log.info({ url: gateway.url, data_dir: services.config.dataDir, backend: services.config.databaseUrl ? 'postgres' : 'sqlite' }, 'aopgate listening');
  const stop = async (signal: string) => {
    services.log.info({ signal }, 'shutting down');
    await gateway.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {}); // serve until signalled
}
