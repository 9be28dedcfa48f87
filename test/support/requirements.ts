/**
 * Optional test dependencies (a MySQL server, a Chromium binary). On a developer machine a
 * missing one skips only the suites that need it, with a loud warning; in CI (`CI=true`)
 * a missing piece fails the run instead of skipping silently.
 */
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Returns true when the suite can run. When it cannot, warns (locally) or throws (in CI).
 * Use as `describe.runIf(requirement('MySQL', mysqlUrl, 'set MYSQL_URL=mysql://…'))`.
 */
export function requirement(name: string, value: unknown, howToProvide: string): boolean {
  if (value) return true;
  const message = `${name} is not available: ${howToProvide}`;
  if (inCi) throw new Error(`${message} (required when CI=true)`);
  console.warn(`\n⚠️  SKIPPING ${name} tests. ${message}\n`);
  return false;
}
