import { parseArgs } from 'node:util';
import { FaultSpecError, ruleFromSpec } from '../faults/faults.js';
import { faultView } from '../http/admin-view.js';
import { UsageError, withServices } from './args.js';

/**
 * `aopgate faults add [--app-id] [--method] [--code] [--sub-code] [--sub-msg] [--latency-ms]
 * [--drop] [--probability] [--count]`, `faults list`, `faults rm ID`: on the database, so a
 * running server applies them within a second.
 */
export async function faultsAdd(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      'app-id': { type: 'string' },
      method: { type: 'string' },
      code: { type: 'string' },
      'sub-code': { type: 'string' },
      'sub-msg': { type: 'string' },
      'latency-ms': { type: 'string' },
      drop: { type: 'boolean' },
      probability: { type: 'string' },
      count: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return withServices(values.data, async (services) => {
    let rule;
    try {
      rule = ruleFromSpec(
        {
          app_id: values['app-id'],
          method: values.method,
          ...(values.code !== undefined ? { code: values.code } : {}),
          ...(values['sub-code'] !== undefined ? { sub_code: values['sub-code'] } : {}),
          ...(values['sub-msg'] !== undefined ? { sub_msg: values['sub-msg'] } : {}),
          ...(values['latency-ms'] !== undefined ? { latency_ms: num(values['latency-ms'])! } : {}),
          ...(values.probability !== undefined ? { probability: num(values.probability)! } : {}),
          count: num(values.count) ?? null,
          drop: values.drop ?? false,
        },
        'cli',
        services.clock(),
      );
    } catch (e) {
      if (e instanceof FaultSpecError) throw new UsageError(e.message);
      throw e;
    }
    await services.store.faults.add(rule);
    console.log(values.json ? JSON.stringify({ id: rule.id }) : `fault ${rule.id} added`);
    return 0;
  });
}

export async function faultsList(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
  return withServices(values.data, async (services) => {
    const faults = (await services.store.faults.list()).map(faultView);
    if (values.json) console.log(JSON.stringify({ faults }));
    else
      for (const f of faults)
        console.log(
          `${f.id}  ${f.app_id ?? '*'}  ${f.method ?? '*'}  ${f.action} ${f.code} ${f.sub_code}  p=${f.probability}  left=${f.remaining ?? '∞'}  +${f.latency_ms}ms  (${f.source})`,
        );
    return 0;
  });
}

export async function faultsRemove(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: 'string' } } });
  const [id] = positionals;
  if (!id) throw new UsageError('usage: aopgate faults rm ID');
  return withServices(values.data, async (services) => {
    if (!(await services.store.faults.remove(id))) throw new UsageError(`no fault ${id}`);
    console.log(`fault ${id} removed`);
    return 0;
  });
}
