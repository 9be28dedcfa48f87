import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnitFile, unitValues } from '../../test/support/systemd-unit';
import { requirement } from '../../test/support/requirements';
import {
  AUTH_SERVER_PORT,
  authServerPaths,
  authServiceUnit,
  cloudWatchAgentConfig,
  healthProbeServiceUnit,
  logrotateConfig,
  nginxForCloudFront,
} from './auth-server-files';
import { authServerUnits as units } from './auth-server-units';

const systemUnits = '/usr/lib/systemd/system';
const canVerify = existsSync('/usr/bin/systemd-analyze') && existsSync(path.join(systemUnits, 'multi-user.target'));

describe('the auth server systemd unit', () => {
  const unit = parseUnitFile(authServiceUnit);
  const service = (key: string) => unitValues(unit, 'Service', key);

  it('takes its environment from the env file alone', () => {
    expect(service('EnvironmentFile')).toEqual([authServerPaths.envFile]);
    expect(service('Environment')).toEqual([]);
    expect(service('ExecStart')).toEqual([`${authServerPaths.node} --enable-source-maps main.mjs`]);
    expect(service('WorkingDirectory')).toEqual([authServerPaths.appDir]);
  });

  it('runs unprivileged in a sandbox that can write only the signing keys', () => {
    expect(service('User')).toEqual([authServerPaths.user]);
    expect(service('NoNewPrivileges')).toEqual(['yes']);
    expect(service('ProtectSystem')).toEqual(['strict']);
    expect(service('ReadWritePaths')).toEqual([authServerPaths.keysDir]);
    expect(service('CapabilityBoundingSet')).toEqual(['']);
    expect(service('Restart')).toEqual(['on-failure']);
  });

  it('logs where the CloudWatch agent and logrotate look', () => {
    expect(service('StandardOutput')).toEqual([`append:${authServerPaths.serverLog}`]);
    const probe = parseUnitFile(healthProbeServiceUnit);
    expect(unitValues(probe, 'Service', 'StandardOutput')).toEqual([`append:${authServerPaths.healthLog}`]);
    const shipped = (
      JSON.parse(cloudWatchAgentConfig('/x/auth-server')) as {
        logs: { logs_collected: { files: { collect_list: { file_path: string }[] } } };
      }
    ).logs.logs_collected.files.collect_list.map((file) => file.file_path);
    expect(shipped).toEqual(
      expect.arrayContaining([
        authServerPaths.serverLog,
        authServerPaths.healthLog,
        authServerPaths.nginxAccessLog,
        authServerPaths.bootLog,
      ]),
    );
    expect(logrotateConfig).toContain(`${path.dirname(authServerPaths.serverLog)}/*.log {`);
    expect(nginxForCloudFront).toContain(`access_log ${authServerPaths.nginxAccessLog} alktunes;`);
  });

  it('is proxied to by nginx on its port', () => {
    expect(nginxForCloudFront).toContain(`server 127.0.0.1:${AUTH_SERVER_PORT};`);
  });

  it("gets the client address from nginx alone, which believes CloudFront-Viewer-Address only from CloudFront's ranges", () => {
    expect(nginxForCloudFront).toContain(`include ${authServerPaths.cloudFrontRanges};`);
    // Replaced, never appended to: what a client sent in X-Forwarded-For never reaches the server.
    expect(nginxForCloudFront.match(/proxy_set_header X-Forwarded-For .*;/g)).toEqual([
      'proxy_set_header X-Forwarded-For $alktunes_client_ip;',
    ]);
    expect(nginxForCloudFront).not.toContain('proxy_add_x_forwarded_for');
    expect(nginxForCloudFront).not.toMatch(/real_ip_header|set_real_ip_from/);
    expect(nginxForCloudFront).toContain('limit_req_zone $alktunes_client_ip ');
  });

  it("is behind nginx's whole main configuration: one server, nothing from conf.d, the package unit's pid file", () => {
    expect(nginxForCloudFront.match(/^\s*server \{$/gm)).toHaveLength(1);
    expect(nginxForCloudFront.match(/^\s*include .*$/gm)?.map((line) => line.trim())).toEqual([
      'include /etc/nginx/mime.types;',
      `include ${authServerPaths.cloudFrontRanges};`,
    ]);
    expect(nginxForCloudFront).toMatch(/^pid \/run\/nginx\.pid;$/m);
    expect(nginxForCloudFront).toMatch(/^http \{$/m);
  });

  describe.runIf(requirement('systemd-analyze', canVerify, 'install systemd (Debian: apt-get install systemd)'))(
    'systemd-analyze verify',
    () => {
      // A root with the host's standard units, the generated ones, and stand-ins for node and curl.
      let root = '';
      let unitDir = '';
      beforeAll(() => {
        root = mkdtempSync(path.join(tmpdir(), 'alktunes-systemd-'));
        cpSync(systemUnits, path.join(root, systemUnits), { recursive: true, verbatimSymlinks: true });
        for (const binary of [authServerPaths.node, '/usr/bin/curl', '/usr/bin/bash']) {
          mkdirSync(path.join(root, path.dirname(binary)), { recursive: true });
          writeFileSync(path.join(root, binary), '#!/bin/sh\n');
          chmodSync(path.join(root, binary), 0o755);
        }
        unitDir = path.join(root, 'etc/systemd/system');
        mkdirSync(unitDir, { recursive: true });
        for (const [name, text] of Object.entries(units)) writeFileSync(path.join(unitDir, name), text);
      });
      afterAll(() => rmSync(root, { recursive: true, force: true }));

      it('accepts every generated unit without a warning', () => {
        const result = spawnSync(
          'systemd-analyze',
          ['verify', '--man=no', `--root=${root}`, ...Object.keys(units).map((name) => path.join(unitDir, name))],
          {
            encoding: 'utf8',
          },
        );
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      });
    },
  );
});
