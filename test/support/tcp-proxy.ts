import { connect, createServer, type Server, type Socket } from 'node:net';

export type LinkMode = 'pass' | 'refuse' | 'blackhole';

/**
 * A TCP proxy the test controls, between the gateway and PostgreSQL: `pass` forwards,
 * `refuse` drops every connection and refuses new ones, `blackhole` keeps connections open but
 * forwards nothing (a partition: the worst case, only timeouts notice it).
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  let mode: LinkMode = 'pass';
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) => from.on('data', (d) => mode === 'pass' && to.write(d));
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    set(next: LinkMode) {
      mode = next;
      // Refusing also cuts what is open; a black hole leaves it open and silent.
      if (next === 'refuse') for (const pair of pairs) pair.forEach((s) => s.destroy());
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) pair.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
