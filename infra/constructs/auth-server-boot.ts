import { AUTH_SERVICE_UNIT, HEALTH_PROBE_SERVICE_UNIT, HEALTH_PROBE_TIMER_UNIT, authServerPaths as p } from './auth-server-files';
import { CLOUDFRONT_RANGES_SERVICE_UNIT, CLOUDFRONT_RANGES_TIMER_UNIT, cloudFrontRangesEnvFile } from './auth-server-cloudfront-ranges';

/**
 * Node.js on the instance: one exact release, checked against the SHA-256 of its official
 * linux-arm64 tarball (from https://nodejs.org/dist/v24.21.0/SHASUMS256.txt). To upgrade, change
 * both together; a build whose checksum does not match stops the boot before anything runs.
 */
export const NODE_RELEASE = {
  version: '24.21.0',
  tarball: 'node-v24.21.0-linux-arm64.tar.xz',
  sha256: '6ad1325edbdb5649c379b75a237147a666c95d4f9ae8d340fef2d1575d289ad2',
} as const;

/** `?tls=` of DATABASE_URL on the instance: verified TLS to RDS (see `backend/auth/database.ts`). */
export const RDS_TLS_PARAMETER = 'tls=amazon-rds';

/** Everything the first boot of the auth server instance needs to know. */
export interface AuthServerBootOptions {
  /** `s3://…` URL of the zipped build artifact (see `auth-server-artifact.ts`). */
  artifactUrl: string;
  /** Secret with the RDS credentials (`host`, `port`, `username`, `password`, usually `dbname`). */
  databaseSecretArn: string;
  /** The database's name, for a secret without `dbname`. */
  databaseName: string;
  /** Secret holding the signing keys file, made during the deployment (see `signing-keys-generator.ts`). */
  signingKeysSecretArn: string;
  /**
   * The server's AUTH_ISSUER: given (a custom domain's URL), or the value of an SSM parameter
   * that CloudFormation writes once the distribution, whose URL it is, exists.
   */
  issuer: { url: string } | { parameterName: string };
  /** The AWS-managed prefix list of CloudFront's origin-facing ranges (see `auth-server-cloudfront-ranges.ts`). */
  cloudFrontPrefixListId: string;
  region: string;
  /** Non-secret environment of the server process (audience, CORS origins, port…); AUTH_ISSUER comes from `issuer`. */
  environment: Record<string, string>;
}

/**
 * Shell functions of the boot script, each one step. The script defines them all, then calls
 * them in order as plain commands, so `set -e` stops the boot at the first failing command and
 * the boot log ends with it. Specs and the rehearsal run single functions.
 */
export const bootSteps = {
  prepareHost: 'prepare_host',
  installArtifact: 'install_artifact',
  restoreKeys: 'restore_signing_keys',
  startNginx: 'start_nginx',
  resolveIssuer: 'resolve_auth_issuer',
  writeEnv: 'write_auth_env',
  startServer: 'start_auth_server',
  startHealthProbe: 'start_health_probe',
  waitHealthy: 'wait_until_healthy',
} as const;

/** Fixed by the distribution's URL or a custom domain: no quote, space or path to escape. */
const ISSUER = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?$/;

/**
 * The instance's user data: installs the pinned Node.js, nginx and the CloudWatch agent,
 * fetches the build artifact, starts nginx for CloudFront, writes the server's env file from the
 * stack's values and the database secret, and starts the server under systemd as an
 * unprivileged user. CloudFormation's success signal follows on exit (the user data's exit
 * trap), once the server answers its health check: only then does CloudFormation create a VPC
 * origin for a new instance, so one that fails never takes the traffic from the one serving.
 * The one exception is a first deployment, see `resolve_auth_issuer`. Idempotent, so it can be
 * re-run by hand over SSM after a failure.
 */
export function authServerBootScript(options: AuthServerBootOptions): string[] {
  const region = options.region;
  const secret = (arn: string) =>
    `aws secretsmanager get-secret-value --region ${region} --secret-id ${shellQuote(arn)} --query SecretString --output text`;
  const s = bootSteps;
  return [
    'set -euo pipefail',
    `exec > >(tee -a ${p.bootLog}) 2>&1`,

    // Packages, the pinned Node.js checked before it is unpacked, the service account, its directories.
    // Node.js comes through the NAT instance, which may still be setting up its forwarding when
    // this instance starts (CloudFormation waits only for its route): retried for a few minutes.
    `${s.prepareHost}() {`,
    '  dnf install -y nginx unzip tar xz logrotate amazon-cloudwatch-agent aws-cfn-bootstrap',
    `  curl -fsSL --retry 10 --retry-delay 15 --retry-all-errors --connect-timeout 10 https://nodejs.org/dist/v${NODE_RELEASE.version}/${NODE_RELEASE.tarball} -o /tmp/${NODE_RELEASE.tarball}`,
    `  echo '${NODE_RELEASE.sha256}  /tmp/${NODE_RELEASE.tarball}' | sha256sum -c -`,
    `  tar -xJf /tmp/${NODE_RELEASE.tarball} -C /usr/local --strip-components=1 --no-same-owner`,
    `  id ${p.user} >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /sbin/nologin ${p.user}`,
    `  install -d -o ${p.user} -g ${p.user} -m 700 ${p.keysDir}`,
    `  install -d -o root -g ${p.user} -m 750 $(dirname ${p.envFile})`,
    `  install -d -m 755 $(dirname ${p.appDir}) $(dirname ${p.serverLog}) $(dirname ${p.cloudFrontRanges})`,
    '}',

    // Replaced as a whole so no file of an old build lingers; root-owned, so the server cannot
    // change its own code. The CloudWatch agent starts first, so the rest of this boot log
    // reaches CloudWatch too.
    `${s.installArtifact}() {`,
    `  aws s3 cp ${shellQuote(options.artifactUrl)} /tmp/auth-server.zip --region ${region}`,
    `  rm -rf ${p.appDir}.next`,
    `  mkdir ${p.appDir}.next`,
    `  unzip -q /tmp/auth-server.zip -d ${p.appDir}.next`,
    `  chmod -R u=rwX,go=rX ${p.appDir}.next`,
    `  rm -rf ${p.appDir}`,
    `  mv ${p.appDir}.next ${p.appDir}`,
    `  /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${p.appDir}/amazon-cloudwatch-agent.json`,
    '}',

    // Signing keys live in Secrets Manager so a replaced instance keeps signing with the same keys.
    // The deployment makes them before any instance boots; the instance may only read them.
    `${s.restoreKeys}() {`,
    '  local file=$1 keys',
    `  keys=$(${secret(options.signingKeysSecretArn)})`,
    `  if ! printf '%s' "$keys" | node -e ${shellQuote(HAS_KEYS)}; then`,
    "    echo 'The signing keys secret holds no signing keys: the deployment makes them (SigningKeysGenerator) before the instance boots' >&2",
    '    return 1',
    '  fi',
    `  (umask 077; printf '%s' "$keys" > "$file")`,
    `  chown ${p.user}:${p.user} "$file"`,
    '  chmod 600 "$file"',
    '}',

    // Our nginx.conf is the whole main file: the distribution's own server on port 80 is gone.
    // It reads CloudFront's ranges, so the ranges watch runs once first and fails the boot if it cannot.
    `${s.startNginx}() {`,
    `  install -m 644 ${p.appDir}/nginx.conf /etc/nginx/nginx.conf`,
    `  install -m 644 ${p.appDir}/logrotate.conf /etc/logrotate.d/alktunes-auth`,
    `  install -m 644 ${[CLOUDFRONT_RANGES_SERVICE_UNIT, CLOUDFRONT_RANGES_TIMER_UNIT].map((unit) => `${p.appDir}/${unit}`).join(' ')} /etc/systemd/system/`,
    `  printf 'PREFIX_LIST_ID=%s\\nAWS_REGION=%s\\nCLOUDFRONT_RANGES_FILE=%s\\n' ${shellQuote(options.cloudFrontPrefixListId)} ${region} ${p.cloudFrontRanges} > ${cloudFrontRangesEnvFile}`,
    '  systemctl daemon-reload',
    `  systemctl start ${CLOUDFRONT_RANGES_SERVICE_UNIT}`,
    `  systemctl enable ${CLOUDFRONT_RANGES_TIMER_UNIT}`,
    `  systemctl start ${CLOUDFRONT_RANGES_TIMER_UNIT}`,
    '  nginx -t',
    '  systemctl enable nginx',
    '  systemctl restart nginx',
    '}',

    ...issuerFunction(options.issuer, region),

    ...envFileFunction(options.environment, secret(options.databaseSecretArn), options.databaseName),

    `${s.startServer}() {`,
    `  install -m 644 ${p.appDir}/${AUTH_SERVICE_UNIT} /etc/systemd/system/`,
    '  systemctl daemon-reload',
    `  systemctl enable ${AUTH_SERVICE_UNIT}`,
    `  systemctl restart ${AUTH_SERVICE_UNIT}`,
    '}',

    // Once a minute through nginx; its failures raise the unhealthy alarm. Also the exit trap of
    // a first boot that reported early (see resolve_auth_issuer), so a server that never starts
    // raises the alarm too.
    `${s.startHealthProbe}() {`,
    `  install -m 644 ${[HEALTH_PROBE_SERVICE_UNIT, HEALTH_PROBE_TIMER_UNIT].map((unit) => `${p.appDir}/${unit}`).join(' ')} /etc/systemd/system/`,
    '  systemctl daemon-reload',
    `  systemctl enable ${HEALTH_PROBE_TIMER_UNIT}`,
    `  systemctl start ${HEALTH_PROBE_TIMER_UNIT}`,
    '}',

    // Through nginx to /health, which pings the database: the whole path CloudFront will use.
    // Each try is bounded, so a hung server cannot stretch the wait past the signal timeout.
    `${s.waitHealthy}() {`,
    '  for attempt in $(seq 1 30); do',
    '    if curl -fsS --max-time 5 http://127.0.0.1/health >/dev/null; then return 0; fi',
    '    sleep 2',
    '  done',
    '  curl -fsS --max-time 5 http://127.0.0.1/health >/dev/null',
    '}',

    'export PATH=/usr/local/bin:$PATH',
    s.prepareHost,
    s.installArtifact,
    `${s.restoreKeys} ${p.keysFile}`,
    s.startNginx,
    s.resolveIssuer,
    `${s.writeEnv} ${p.envFile}`,
    s.startServer,
    s.startHealthProbe,
    s.waitHealthy,
  ];
}

/** Ten seconds apart, an hour in all: a first deployment's VPC origin and distribution take up to half an hour. */
const ISSUER_WAIT_ATTEMPTS = 360;
const ISSUER_WAIT_ATTEMPTS_PER_MINUTE = 6;

/**
 * `resolve_auth_issuer`: sets AUTH_ISSUER. A given URL is set as is. From the parameter: on every
 * deployment but the first it exists, as the distribution does. On the first, CloudFormation
 * creates the distribution (whose VPC origin is this instance) only once this instance has
 * reported, so the step reports the host ready through the user data's exit trap and waits for
 * the parameter; the server then starts without CloudFormation waiting for it.
 * `get-parameters` answers None for a parameter that does not exist and fails on any other
 * error. Before the early report a failure stops the boot rather than report a replacement
 * ready early. After it nobody waits for the boot's outcome: a failed read is retried, the
 * wait says so in the boot log each minute, and the exit trap becomes the health probe's start,
 * so a server that never starts (the wait gave up, or a later step failed) raises the
 * unhealthy alarm. The probe starts only then, not during the wait: its failures while the
 * distribution is still being created would raise the alarm on every first deployment.
 */
function issuerFunction(issuer: AuthServerBootOptions['issuer'], region: string): string[] {
  if ('url' in issuer) {
    if (!ISSUER.test(issuer.url)) throw new Error(`The auth server's issuer must be https://<host>, got ${JSON.stringify(issuer.url)}`);
    return [`${bootSteps.resolveIssuer}() {`, `  AUTH_ISSUER='${issuer.url}'`, '}'];
  }
  return [
    `${bootSteps.resolveIssuer}() {`,
    `  local read_issuer=(aws ssm get-parameters --region ${region} --names ${shellQuote(issuer.parameterName)} --query 'Parameters[0].Value' --output text)`,
    '  local attempt',
    '  AUTH_ISSUER=$("${read_issuer[@]}")',
    '  if [ "$AUTH_ISSUER" = None ]; then',
    `    echo 'First deployment: reporting the host ready, then waiting for the distribution URL in ${issuer.parameterName}'`,
    '    true',
    '    exitTrap',
    `    trap ${bootSteps.startHealthProbe} EXIT`,
    `    for attempt in $(seq 1 ${ISSUER_WAIT_ATTEMPTS}); do`,
    '      sleep 10',
    '      AUTH_ISSUER=$("${read_issuer[@]}") || AUTH_ISSUER=None',
    '      if [ "$AUTH_ISSUER" != None ]; then break; fi',
    `      if [ $((attempt % ${ISSUER_WAIT_ATTEMPTS_PER_MINUTE})) -eq 0 ]; then`,
    `        echo "Still waiting for ${issuer.parameterName} ($((attempt / ${ISSUER_WAIT_ATTEMPTS_PER_MINUTE})) min)"`,
    '      fi',
    '    done',
    '  fi',
    `  if ! [[ $AUTH_ISSUER =~ ${ISSUER.source.replace(/\\\//g, '/')} ]]; then`,
    `    echo "${issuer.parameterName} holds $AUTH_ISSUER, not an https://<host> URL" >&2`,
    '    return 1',
    '  fi',
    '}',
  ];
}

/**
 * `write_auth_env FILE`: the server's whole environment, the stack's values plus AUTH_ISSUER
 * (see `resolve_auth_issuer`) and DATABASE_URL built from the database secret. Secrets go to a root:alktunes 0640 file, never into the user
 * data or a process list. Values are single-quoted, which systemd's EnvironmentFile= and a shell
 * read alike, so a value must hold no quote or line break.
 */
function envFileFunction(environment: Record<string, string>, readDatabaseSecret: string, databaseName: string): string[] {
  const values = { ...environment, AUTH_KEYS_FILE: p.keysFile, NODE_ENV: 'production' };
  for (const [key, value] of Object.entries(values)) {
    if (/['\n\r]/.test(value)) throw new Error(`The auth server's ${key} must hold no quote or line break, got ${JSON.stringify(value)}`);
  }
  if (!/^\w+$/.test(databaseName))
    throw new Error(`The auth database name must be letters, digits and underscores, got ${JSON.stringify(databaseName)}`);
  return [
    `${bootSteps.writeEnv}() {`,
    '  local file=$1 db_secret database_url',
    `  db_secret=$(${readDatabaseSecret})`,
    `  database_url=$(printf '%s' "$db_secret" | node -e ${shellQuote(DATABASE_URL_FROM_SECRET)} ${databaseName})`,
    '  (umask 027; cat > "$file" <<\'ALKTUNES_ENV\'',
    ...Object.entries(values).map(([key, value]) => `${key}='${value}'`),
    'ALKTUNES_ENV',
    '  )',
    `  printf "AUTH_ISSUER='%s'\\nDATABASE_URL='%s'\\n" "$AUTH_ISSUER" "$database_url" >> "$file"`,
    `  chown root:${p.user} "$file"`,
    '  chmod 640 "$file"',
    '}',
  ];
}

/**
 * Builds `mysql://user:pass@host:port/db?tls=amazon-rds` from the RDS secret JSON on stdin,
 * percent-encoding the credentials (quotes and parentheses too: the URL is single-quoted later).
 * The database is the secret's `dbname`, else the name given as the first argument.
 */
const DATABASE_URL_FROM_SECRET = [
  "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{",
  "const j=JSON.parse(s);const e=v=>encodeURIComponent(v).replace(/[!'()*]/g,c=>'%'+c.charCodeAt(0).toString(16));",
  'const db=j.dbname||process.argv[1];',
  `process.stdout.write(\`mysql://\${e(j.username)}:\${e(j.password)}@\${j.host}:\${j.port}/\${e(db)}?${RDS_TLS_PARAMETER}\`)`,
  '})',
].join('');

/** Exits 0 when the keys secret on stdin already holds a non-empty keys file. */
const HAS_KEYS = [
  "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{",
  'let k=[];try{k=JSON.parse(s).keys}catch{}',
  'process.exit(Array.isArray(k)&&k.length>0?0:1)',
  '})',
].join('');

/** Single-quotes a value for bash (tokens are fine: they resolve to plain strings at deploy time). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
