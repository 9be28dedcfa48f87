import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { dynamoDbAnswers } from '../../adapters/dynamodb/answers';
import { createDynamoRevocations } from '../../adapters/dynamodb/revocations.dynamodb';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../auth/access-tokens';
import type { AdminRequest } from '../../auth/admin/args';
import { AdminCommandError } from '../../auth/commands/admin';
import type { OpenAdminDepsOptions } from '../../auth/admin/deps';
import { dataFolderFiles } from '../../local/data-folder';

const addressBookSchema = z.object({
  dynamodb: z.url(),
  region: z.string().min(1),
  tables: z.object({ revocations: z.string().min(1) }),
});

/** Commands that tell the API (the revocations table in the stack's DynamoDB), so need the stack running. */
const tellsTheApi: AdminRequest['command'][] = ['disable', 'delete'];

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The local stack's user database and revocations table, as the stack in `dataDir` uses them:
 * its SQLite file (or `databaseUrl`, the DATABASE_URL it was started with) and the DynamoDB
 * named in its address book. Throws `AdminCommandError` saying how to start the stack when the
 * folder has none, or when the command needs the API and the stack is not running.
 */
export async function localStackAdminTarget(
  dataDir: string,
  databaseUrl: string | undefined,
  request: AdminRequest,
): Promise<OpenAdminDepsOptions> {
  const files = dataFolderFiles(dataDir);
  const text = await readFile(files.addressBook, 'utf8').catch(() => undefined);
  const parsed = addressBookSchema.safeParse(text === undefined ? undefined : jsonOrUndefined(text));
  if (!parsed.success) {
    throw new AdminCommandError(
      text === undefined
        ? `no local stack has started in ${dataDir} (no stack.json): start it with npm start, or pass --stack-outputs for a deployment`
        : `${files.addressBook} is not the address book of this version's local stack: start the stack again with npm start`,
    );
  }
  const stack = parsed.data;
  if (!databaseUrl && !existsSync(files.authDatabase)) {
    throw new AdminCommandError(`no user database at ${files.authDatabase}; if the stack was started with DATABASE_URL, set it here too`);
  }
  if (tellsTheApi.includes(request.command) && !(await dynamoDbAnswers(stack.dynamodb, stack.region))) {
    throw new AdminCommandError(
      `${request.command} tells the API, but the local stack is not running (nothing answers at ${stack.dynamodb}): start it with npm start`,
    );
  }
  return {
    databaseUrl: databaseUrl ?? `sqlite:${files.authDatabase}`,
    revocations: createDynamoRevocations({
      table: stack.tables.revocations,
      region: stack.region,
      endpoint: stack.dynamodb,
      tokenLifetimeSeconds: ACCESS_TOKEN_TTL_SECONDS,
    }),
  };
}
