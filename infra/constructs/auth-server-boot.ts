/** Everything the first boot of the auth server instance needs to know. */
export interface AuthServerBootOptions {
  /** `s3://…` URL of the zipped build artifact (see `auth-server-artifact.ts`). */
  artifactUrl: string;
  /** Secret with the RDS credentials (`host`, `port`, `username`, `password`, `dbname`). */
  databaseSecretArn: string;
  /** Secret holding the signing keys file; `{"keys":[]}` until the first boot fills it. */
  signingKeysSecretArn: string;
  region: string;
  /** Non-secret environment of the server process (issuer, audience, CORS origins, port…). */
  environment: Record<string, string>;
  /** Where the server reads its signing keys (`AUTH_KEYS_FILE`). */
  keysFile: string;
  /** Path answered 200 by a healthy server; checked through nginx before signalling success. */
  healthPath: string;
}

const APP_DIR = '/opt/alktunes/auth';
const ENV_FILE = '/etc/alktunes/auth.env';

/**
 * The instance's user data: installs Node.js 24 (official build, checksum verified), PM2 and
 * nginx, fetches the build artifact and secrets, and starts the server under PM2 as an
 * unprivileged user. Idempotent, so it can be re-run by hand over SSM after a failure.
 */
export function authServerBootScript(options: AuthServerBootOptions): string[] {
  const env = Object.entries(options.environment)
    .map(([key, value]) => `${key}=${shellQuote(value)}`)
    .join('\n');
  return [
    'set -euo pipefail',
    'exec > >(tee -a /var/log/alktunes-boot.log) 2>&1',
    'dnf install -y nginx unzip tar xz aws-cfn-bootstrap',
    // Node.js 24 from nodejs.org: Amazon Linux 2023 does not package every LTS line.
    'NODE_DIST=https://nodejs.org/dist/latest-v24.x',
    'curl -fsSL "$NODE_DIST/SHASUMS256.txt" -o /tmp/node-shasums.txt',
    "NODE_TAR=$(grep -o 'node-v24[.0-9]*-linux-arm64.tar.xz' /tmp/node-shasums.txt | head -n1)",
    'curl -fsSL "$NODE_DIST/$NODE_TAR" -o "/tmp/$NODE_TAR"',
    '(cd /tmp && grep " $NODE_TAR\\$" node-shasums.txt | sha256sum -c -)',
    'tar -xJf "/tmp/$NODE_TAR" -C /usr/local --strip-components=1 --no-same-owner',
    'export PATH=/usr/local/bin:$PATH',
    'npm install -g pm2@6',
    'id alktunes >/dev/null 2>&1 || useradd --system --create-home --home-dir /home/alktunes --shell /sbin/nologin alktunes',
    `install -d -o alktunes -g alktunes -m 750 ${APP_DIR} $(dirname ${options.keysFile})`,
    'install -d -o root -g alktunes -m 750 /etc/alktunes',
    // The build artifact, replaced as a whole so no file of an old build lingers.
    `aws s3 cp ${shellQuote(options.artifactUrl)} /tmp/auth-server.zip --region ${options.region}`,
    `rm -rf ${APP_DIR}.next && mkdir ${APP_DIR}.next && unzip -q /tmp/auth-server.zip -d ${APP_DIR}.next`,
    `chown -R alktunes:alktunes ${APP_DIR}.next && rm -rf ${APP_DIR} && mv ${APP_DIR}.next ${APP_DIR}`,
    // Secrets go to root:alktunes 0640 files, never into the user data or the process list.
    `DB_SECRET=$(aws secretsmanager get-secret-value --region ${options.region} --secret-id ${shellQuote(options.databaseSecretArn)} --query SecretString --output text)`,
    `DATABASE_URL=$(printf '%s' "$DB_SECRET" | node -e ${shellQuote(DATABASE_URL_FROM_SECRET)})`,
    `umask 027 && cat > ${ENV_FILE} <<'ALKTUNES_ENV'`,
    env,
    `AUTH_KEYS_FILE=${options.keysFile}`,
    'NODE_ENV=production',
    'ALKTUNES_ENV',
    `printf "DATABASE_URL='%s'\\n" "$DATABASE_URL" >> ${ENV_FILE} && chown root:alktunes ${ENV_FILE} && chmod 640 ${ENV_FILE}`,
    // Signing keys live in Secrets Manager so a replaced instance keeps signing with the same keys.
    `KEYS=$(aws secretsmanager get-secret-value --region ${options.region} --secret-id ${shellQuote(options.signingKeysSecretArn)} --query SecretString --output text)`,
    `if printf '%s' "$KEYS" | node -e ${shellQuote(HAS_KEYS)}; then`,
    `  printf '%s' "$KEYS" > ${options.keysFile} && chown alktunes:alktunes ${options.keysFile} && chmod 600 ${options.keysFile}; KEYS_STORED=1`,
    'else KEYS_STORED=0; fi',
    `install -m 644 ${APP_DIR}/nginx.conf /etc/nginx/conf.d/alktunes-auth.conf`,
    'nginx -t && systemctl enable nginx && systemctl restart nginx',
    // PM2 runs as the service user; the env file is loaded into the PM2 process it starts.
    `cat > ${APP_DIR}/start.sh <<'ALKTUNES_START'`,
    '#!/bin/bash',
    'set -euo pipefail',
    `set -a; . ${ENV_FILE}; set +a`,
    `cd ${APP_DIR} && exec pm2 startOrReload ecosystem.config.cjs --env production --update-env`,
    'ALKTUNES_START',
    `chmod 750 ${APP_DIR}/start.sh && chown alktunes:alktunes ${APP_DIR}/start.sh`,
    `sudo -u alktunes env PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/alktunes ${APP_DIR}/start.sh`,
    'sudo -u alktunes env PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/alktunes pm2 save',
    'env PATH=/usr/local/bin:/usr/bin:/bin pm2 startup systemd -u alktunes --hp /home/alktunes',
    `for attempt in $(seq 1 30); do curl -fsS http://127.0.0.1${options.healthPath} >/dev/null && break; sleep 2; done`,
    `curl -fsS http://127.0.0.1${options.healthPath} >/dev/null`,
    // First boot: the server created the keys file; keep it for every later instance.
    `if [ "$KEYS_STORED" = 0 ]; then aws secretsmanager put-secret-value --region ${options.region} --secret-id ${shellQuote(options.signingKeysSecretArn)} --secret-string "file://${options.keysFile}" >/dev/null; fi`,
  ];
}

/** Builds `mysql://user:pass@host:port/db` from the RDS secret JSON on stdin, URL-encoding the credentials. */
const DATABASE_URL_FROM_SECRET = [
  "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{",
  'const j=JSON.parse(s);const e=encodeURIComponent;',
  'process.stdout.write(`mysql://${e(j.username)}:${e(j.password)}@${j.host}:${j.port}/${e(j.dbname)}`)',
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
