import { describe, expect, it } from 'vitest';
import { contextArgs, teardownPlan } from './teardown';

const cdkJson = { prefix: 'alktunes', searchBackend: 'embedded', deletionProtection: true };

describe('npm run teardown', () => {
  it('reads -c and --context pairs as the CDK CLI does', () => {
    expect(contextArgs(['-c', 'prefix=dev', '--profile', 'p', '--context', 'a=b=c', '--context=deletionProtection=false'])).toEqual({
      prefix: 'dev',
      a: 'b=c',
      deletionProtection: 'false',
    });
    expect(() => contextArgs(['-c', 'prefix'])).toThrow(/key=value/);
  });

  it('refuses a protected deployment, saying what would be kept and the two steps that remove it', () => {
    const plan = teardownPlan(
      ['-c', 'prefix=dev', '-c', 'deletionProtection=true', '-c', 'searchBackend=cloudsearch', '--profile', 'ops'],
      cdkJson,
    );
    expect(plan.action).toBe('refuse');
    const message = plan.action === 'refuse' ? plan.message : '';
    expect(message).toMatch(/dev-api, dev-auth, dev-search, dev-data are deployed with deletion protection/);
    expect(message).toMatch(/tables .* retained/);
    expect(message).toMatch(/media bucket/);
    expect(message).toMatch(/CloudSearch domain dev-search/);
    const steps = '-c prefix=dev -c searchBackend=cloudsearch --profile ops -c deletionProtection=false';
    expect(message).toContain(`1. npm run deploy -- ${steps}`);
    expect(message).toContain(`2. npm run teardown -- ${steps}`);
  });

  it('destroys an unprotected deployment with the same context, without asking', () => {
    const plan = teardownPlan(['-c', 'prefix=dev', '-c', 'deletionProtection=false'], cdkJson);
    expect(plan).toEqual({
      action: 'destroy',
      command: ['cdk', 'destroy', '--all', '--force', '-c', 'prefix=dev', '-c', 'deletionProtection=false'],
      summary: expect.stringMatching(/^Destroying dev-api, dev-auth, dev-search, dev-data with everything in them/),
    });
    expect(teardownPlan([], { ...cdkJson, deletionProtection: false }).action).toBe('destroy');
  });

  it('rejects context the deploy would reject', () => {
    expect(() => teardownPlan(['-c', 'prefix=Bad Name'], cdkJson)).toThrow(/prefix/);
  });
});
