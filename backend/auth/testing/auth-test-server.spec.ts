import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { type DatabaseTarget, databaseTargets, startTestAuthServer } from './auth-test-server';

/** Whether the schema a `mysql://…/<schema>` URL names still exists. */
async function mysqlSchemaExists(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const schema = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/';
  const connection = await createConnection({ uri: url.toString() });
  try {
    const [rows] = await connection.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [schema]);
    return (rows as unknown[]).length > 0;
  } finally {
    await connection.end();
  }
}

describe.each(databaseTargets())('startTestAuthServer on $name', (target) => {
  it.runIf(target.enabled)('removes its database and temp folder when the server fails to start', async () => {
    const made: { dir: string; databaseUrl: string }[] = [];
    const watched: DatabaseTarget = {
      ...target,
      async create(dir) {
        const database = await target.create(dir);
        made.push({ dir, databaseUrl: database.databaseUrl });
        return database;
      },
    };
    // A port already taken: the server migrates its database and makes its keys, then cannot listen.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      await expect(startTestAuthServer(watched, { port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    expect(made).toHaveLength(1);
    expect(existsSync(made[0]!.dir)).toBe(false);
    if (target.name === 'mysql') expect(await mysqlSchemaExists(made[0]!.databaseUrl)).toBe(false);
  });
});
