import {
  AUTH_SERVICE_UNIT,
  HEALTH_PROBE_SERVICE_UNIT,
  HEALTH_PROBE_TIMER_UNIT,
  authServerPaths as p,
} from './auth-server-files';
import { ADDRESS_WATCH_SERVICE_UNIT, ADDRESS_WATCH_TIMER_UNIT, addressWatchEnvFile } from './auth-server-address-watch';

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
  /** Secret holding the signing keys file; `{"keys":[]}` until the first boot fills it. */
  signingKeysSecretArn: string;
  /** Allocation id of the Elastic IP CloudFront reaches the server at; the instance claims it once healthy. */
  elasticIpAllocationId: string;
  region: string;
  /** Non-secret environment of the server process (issuer, audience, CORS origins, port…). */
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
  writeEnv: 'write_auth_env',
  restoreKeys: 'restore_signing_keys',
  startNginx: 'start_nginx',
  startServer: 'start_auth_server',
  waitHealthy: 'wait_until_healthy',
  storeKeys: 'store_new_signing_keys',
  claimAddress: 'claim_elastic_ip',
} as const;

/** IMDSv2 (the instance allows no other): a session token, then the instance's own id. */
const IMDS = 'http://169.254.169.254/latest';

/**
 * The instance's user data: installs the pinned Node.js, nginx and the CloudWatch agent,
 * fetches the build artifact, writes the server's env file from the stack's values and the
 * database secret, starts the server under systemd as an unprivileged user and, only once it
 * answers its health check, takes the Elastic IP. CloudFormation's success signal follows on
 * exit, so a new instance that fails never takes the address from the one serving. Idempotent,
 * so it can be re-run by hand over SSM after a failure.
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
    `${s.prepareHost}() {`,
    '  dnf install -y nginx unzip tar xz logrotate amazon-cloudwatch-agent aws-cfn-bootstrap',
    `  curl -fsSL https://nodejs.org/dist/v${NODE_RELEASE.version}/${NODE_RELEASE.tarball} -o /tmp/${NODE_RELEASE.tarball}`,
    `  echo '${NODE_RELEASE.sha256}  /tmp/${NODE_RELEASE.tarball}' | sha256sum -c -`,
    `  tar -xJf /tmp/${NODE_RELEASE.tarball} -C /usr/local --strip-components=1 --no-same-owner`,
    `  id ${p.user} >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /sbin/nologin ${p.user}`,
    `  install -d -o ${p.user} -g ${p.user} -m 700 ${p.keysDir}`,
    `  install -d -o root -g ${p.user} -m 750 $(dirname ${p.envFile})`,
    `  install -d -m 755 $(dirname ${p.appDir}) $(dirname ${p.serverLog})`,
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

    ...envFileFunction(options.environment, secret(options.databaseSecretArn), options.databaseName),

    // Signing keys live in Secrets Manager so a replaced instance keeps signing with the same keys.
    `${s.restoreKeys}() {`,
    '  local file=$1 keys',
    `  keys=$(${secret(options.signingKeysSecretArn)})`,
    `  if printf '%s' "$keys" | node -e ${shellQuote(HAS_KEYS)}; then`,
    `    (umask 077; printf '%s' "$keys" > "$file")`,
    `    chown ${p.user}:${p.user} "$file"`,
    '    chmod 600 "$file"',
    '    KEYS_STORED=1',
    '  else',
    '    KEYS_STORED=0',
    '  fi',
    '}',

    // Our nginx.conf is the whole main file: the distribution's own server on port 80 is gone.
    `${s.startNginx}() {`,
    `  install -m 644 ${p.appDir}/nginx.conf /etc/nginx/nginx.conf`,
    `  install -m 644 ${p.appDir}/logrotate.conf /etc/logrotate.d/alktunes-auth`,
    '  nginx -t',
    '  systemctl enable nginx',
    '  systemctl restart nginx',
    '}',

    // The address watch only ever takes an address left on no instance, and only once this
    // server answers (see auth-server-address-watch.ts), so it may start before the claim below.
    `${s.startServer}() {`,
    `  install -m 644 ${[AUTH_SERVICE_UNIT, HEALTH_PROBE_SERVICE_UNIT, HEALTH_PROBE_TIMER_UNIT, ADDRESS_WATCH_SERVICE_UNIT, ADDRESS_WATCH_TIMER_UNIT].map((unit) => `${p.appDir}/${unit}`).join(' ')} /etc/systemd/system/`,
    `  printf 'ELASTIC_IP_ALLOCATION_ID=%s\\nAWS_REGION=%s\\n' ${shellQuote(options.elasticIpAllocationId)} ${region} > ${addressWatchEnvFile}`,
    '  systemctl daemon-reload',
    `  systemctl enable ${AUTH_SERVICE_UNIT} ${HEALTH_PROBE_TIMER_UNIT} ${ADDRESS_WATCH_TIMER_UNIT}`,
    `  systemctl restart ${AUTH_SERVICE_UNIT}`,
    `  systemctl start ${HEALTH_PROBE_TIMER_UNIT} ${ADDRESS_WATCH_TIMER_UNIT}`,
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

    // First boot: the server created the keys file; keep it for every later instance.
    `${s.storeKeys}() {`,
    '  local file=$1',
    `  if [ "$KEYS_STORED" = 0 ]; then aws secretsmanager put-secret-value --region ${region} --secret-id ${shellQuote(options.signingKeysSecretArn)} --secret-string "file://$file" >/dev/null; fi`,
    '}',

    // The address moves from the instance serving now (if any) to this healthy one.
    `${s.claimAddress}() {`,
    '  local token instance_id',
    `  token=$(curl -fsS -X PUT ${IMDS}/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')`,
    `  instance_id=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" ${IMDS}/meta-data/instance-id)`,
    `  aws ec2 associate-address --region ${region} --allocation-id ${shellQuote(options.elasticIpAllocationId)} --instance-id "$instance_id" --allow-reassociation >/dev/null`,
    '}',

    'export PATH=/usr/local/bin:$PATH',
    s.prepareHost,
    s.installArtifact,
    `${s.writeEnv} ${p.envFile}`,
    `${s.restoreKeys} ${p.keysFile}`,
    s.startNginx,
    s.startServer,
    s.waitHealthy,
    `${s.storeKeys} ${p.keysFile}`,
    s.claimAddress,
  ];
}

/**
 * `write_auth_env FILE`: the server's whole environment, the stack's values plus DATABASE_URL
 * built from the database secret. Secrets go to a root:alktunes 0640 file, never into the user
 * data or a process list. Values are single-quoted, which systemd's EnvironmentFile= and a shell
 * read alike, so a value must hold no quote or line break.
 */
function envFileFunction(environment: Record<string, string>, readDatabaseSecret: string, databaseName: string): string[] {
  const values = { ...environment, AUTH_KEYS_FILE: p.keysFile, NODE_ENV: 'production' };
  for (const [key, value] of Object.entries(values)) {
    if (/['\n\r]/.test(value)) throw new Error(`The auth server's ${key} must hold no quote or line break, got ${JSON.stringify(value)}`);
  }
  if (!/^\w+$/.test(databaseName)) throw new Error(`The auth database name must be letters, digits and underscores, got ${JSON.stringify(databaseName)}`);
  return [
    `${bootSteps.writeEnv}() {`,
    '  local file=$1 db_secret database_url',
    `  db_secret=$(${readDatabaseSecret})`,
    `  database_url=$(printf '%s' "$db_secret" | node -e ${shellQuote(DATABASE_URL_FROM_SECRET)} ${databaseName})`,
    "  (umask 027; cat > \"$file\" <<'ALKTUNES_ENV'",
    ...Object.entries(values).map(([key, value]) => `${key}='${value}'`),
    'ALKTUNES_ENV',
    '  )',
    `  printf "DATABASE_URL='%s'\\n" "$database_url" >> "$file"`,
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
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
