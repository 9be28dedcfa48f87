/**
 * A numeric bench option from `--name=value` on the command line or `BENCH_NAME` in the
 * environment (the command line wins); exits with a usage message when it is not a positive number.
 */
export function numberOption(name: string, fallback: number): number {
  const flag = process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`));
  const envName = `BENCH_${name.toUpperCase().replaceAll('-', '_')}`;
  const raw = flag?.slice(name.length + 3) ?? process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} (or ${envName}) must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}
