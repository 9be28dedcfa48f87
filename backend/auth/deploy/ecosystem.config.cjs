// PM2 process file for the auth server on EC2:
//   pm2 start backend/auth/deploy/ecosystem.config.cjs --env production
//   pm2 reload alktunes-auth        (graceful: SIGINT, then up to kill_timeout to finish)
//   pm2 save && pm2 startup          (survive reboots)
// Secrets (DATABASE_URL with its password) belong in the instance's environment or a
// root-only env file loaded by the service manager, not in this file.
module.exports = {
  apps: [
    {
      name: 'alktunes-auth',
      // The repository root, wherever it is checked out.
      cwd: `${__dirname}/../../..`,
      script: 'backend/auth/main.ts',
      interpreter: 'node',
      interpreter_args: '--import tsx',
      // One process: rate limits are counted in memory, per process.
      instances: 1,
      exec_mode: 'fork',
      autorestart: true,
      // scrypt takes 128 MiB per hash, at most 4 at once (the libuv pool): leave room for that.
      max_memory_restart: '768M',
      // main.ts closes the server on SIGINT and waits up to 5 s for in-flight requests.
      kill_timeout: 10000,
      listen_timeout: 15000,
      time: false,
      merge_logs: true,
      env: {
        NODE_ENV: 'development',
        PORT: '4000',
        HOST: '127.0.0.1',
        DATABASE_URL: 'sqlite:.data/auth.sqlite',
        AUTH_KEYS_FILE: '.data/auth-keys.json',
      },
      env_production: {
        NODE_ENV: 'production',
        PORT: '4000',
        HOST: '127.0.0.1',
        TRUST_PROXY: 'true',
        AUTH_AUDIENCE: 'alktunes-api',
        // Set per deployment (the public https URL nginx serves, and the RDS endpoint):
        // AUTH_ISSUER: 'https://auth.example.com',
        // DATABASE_URL: 'mysql://alktunes_auth:…@alktunes.xxxxx.rds.amazonaws.com:3306/alktunes',
        AUTH_KEYS_FILE: '/var/lib/alktunes-auth/signing-keys.json',
      },
    },
  ],
};
