import { parseArgs } from 'node:util';
import { UsageError, withServices } from './args.js';

/** `aopgate reset [--app-id ID]`: sessions, notifications and attempts go; apps, keys and the clock stay. */
export async function reset(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, 'app-id': { type: 'string' }, json: { type: 'boolean' } } });
  const appId = values['app-id'];
  return withServices(values.data, async (services) => {
    if (appId !== undefined && !(await services.store.getApp(appId))) throw new UsageError(`no app ${appId}`);
    const removed = await services.store.reset(appId);
    if (values.json) console.log(JSON.stringify({ reset: removed }));
    else
      console.log(
        `reset ${appId ? `app ${appId}` : 'all apps'}: ${removed.sessions} sessions, ${removed.notifications} notifications, ${removed.attempts} attempts removed`,
      );
    return 0;
  });
}
