import { describe, expect, it } from 'vitest';
import { adminRequestArgv, AdminUsageError, parseAdminArgs } from './args';

const parsed = (...argv: string[]) => {
  const result = parseAdminArgs(argv);
  if (result.help) throw new Error('expected a request');
  return result;
};
const refusal = (...argv: string[]) => {
  try {
    parseAdminArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(AdminUsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('admin arguments', () => {
  it('parses every command with its defaults, and the target', () => {
    expect(parsed('create-user', '--email', ' Ada@Example.com ', '--name', ' Ada ').request).toEqual({
      command: 'create-user',
      email: 'Ada@Example.com',
      name: 'Ada',
      passwordFromStdin: false,
    });
    expect(parsed('invite').request).toEqual({ command: 'invite', days: 7 });
    expect(parsed('invite', '--email', 'a@b.co', '--days', '30').request).toEqual({ command: 'invite', email: 'a@b.co', days: 30 });
    expect(parsed('list-users', '--after', 'm@b.co').request).toEqual({ command: 'list-users', limit: 100, after: 'm@b.co' });
    expect(parsed('disable', 'a@b.co').request).toEqual({ command: 'disable', email: 'a@b.co' });
    expect(parsed('delete', 'a@b.co', '--yes', '--stack-outputs', 'out.json', '--region', 'eu-west-1')).toMatchObject({
      request: { command: 'delete', email: 'a@b.co' },
      target: { stackOutputs: 'out.json', region: 'eu-west-1' },
    });
    expect(parseAdminArgs(['--help'])).toEqual({ help: true });
  });

  it('turns each request back into arguments that parse to it', () => {
    for (const argv of [
      ['create-user', '--email', 'a@b.co', '--name', "O'Brien --yes", '--password-stdin'],
      ['invite', '--email', 'a@b.co', '--days', '3'],
      ['invite'],
      ['list-users', '--limit', '5', '--after', 'k@b.co'],
      ['enable', 'a@b.co'],
      ['delete', 'a@b.co', '--yes'],
    ]) {
      const { request } = parsed(...argv);
      expect(parsed(...adminRequestArgv(request)).request).toEqual(request);
    }
  });

  it.each([
    [[], 'missing the command'],
    [['promote', 'a@b.co'], 'unknown command "promote"'],
    [['disable'], 'disable takes one email, got none'],
    [['disable', 'a@b.co', 'b@b.co'], 'disable takes one email, got a@b.co b@b.co'],
    [['disable', 'not-an-email'], 'the email: Enter a valid email address'],
    [['delete', 'a@b.co'], 'add --yes to confirm'],
    [['invite', '--days', '0'], '--days must be a whole number from 1 to 365, got "0"'],
    [['invite', '--days', '2.5'], '--days must be a whole number from 1 to 365, got "2.5"'],
    [['list-users', '--limit', '5000'], '--limit must be a whole number from 1 to 1000'],
    [['list-users', '--days', '3'], '--days is not an option of list-users'],
    [['create-user', '--email', 'a@b.co'], '--name: Name is required'],
    [['create-user', '--name', 'A'], '--email: Email is required'],
    [['invite', '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(refusal(...argv)).toContain(message);
  });
});
