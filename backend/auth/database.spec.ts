import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { requirement } from '../../test/support/requirements';
import { mysqlPoolOptions, openAuthDatabase } from './database';

const mysqlUrl = process.env.MYSQL_URL;

describe('mysqlPoolOptions', () => {
  it('connects in plain text when the URL asks for no TLS (the local MySQL/MariaDB)', () => {
    const options = mysqlPoolOptions('mysql://root@127.0.0.1:3306/test');
    expect(options).toMatchObject({ uri: 'mysql://root@127.0.0.1:3306/test', charset: 'utf8mb4', timezone: 'Z' });
    expect(options.ssl).toBeUndefined();
  });

  it('requires TLS verified against the Amazon RDS authorities and the host name with ?tls=amazon-rds', () => {
    const options = mysqlPoolOptions('mysql://alktunes:p%40ss@db.abc.eu-west-1.rds.amazonaws.com:3306/alktunes?tls=amazon-rds');
    // The parameter is ours: mysql2 must not see it (it would warn and ignore it).
    expect(options.uri).toBe('mysql://alktunes:p%40ss@db.abc.eu-west-1.rds.amazonaws.com:3306/alktunes');
    expect(options.ssl).toMatchObject({ rejectUnauthorized: true, verifyIdentity: true, minVersion: 'TLSv1.2' });
    const ca = (options.ssl as { ca: string[] }).ca;
    const subjects = ca.map((pem) => new X509Certificate(pem).subject);
    // RDS instances created today are signed by rds-ca-rsa2048-g1 (the default CA since 2024).
    expect(subjects.some((subject) => subject.includes('Amazon RDS') && subject.includes('RSA2048 G1'))).toBe(true);
  });

  it('refuses parameters it does not read instead of handing them to mysql2', () => {
    expect(() => mysqlPoolOptions('mysql://u:p@h:3306/db?tls=skip-verify')).toThrow(/tls must be one of amazon-rds/);
    expect(() => mysqlPoolOptions('mysql://u:p@h:3306/db?ssl=true')).toThrow(/unsupported parameter ssl/);
  });
});

describe('a SQLite DATABASE_URL', () => {
  it('creates the database, its folder and its -wal and -shm files for their owner only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'alktunes-auth-db-'));
    const file = join(root, 'new', 'auth.sqlite');
    const { db } = openAuthDatabase(`sqlite:${file}`);
    try {
      await sql`create table t (x integer)`.execute(db);
      const modeOf = (path: string) => statSync(path).mode & 0o777;
      expect(modeOf(join(root, 'new'))).toBe(0o700);
      // SQLite gives the -wal and -shm files the mode of the database file.
      expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    } finally {
      await db.destroy();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('makes an existing database and its -wal and -shm files readable by their owner only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'alktunes-auth-db-'));
    const file = join(root, 'auth.sqlite');
    const files = [file, `${file}-wal`, `${file}-shm`];
    // As an older version (or SQLite itself) left them.
    for (const path of files) {
      writeFileSync(path, '');
      chmodSync(path, 0o644);
    }
    const warnings: string[] = [];
    const { db } = openAuthDatabase(`sqlite:${file}`, { warn: (message) => warnings.push(message) });
    try {
      await sql`create table t (x integer)`.execute(db);
      expect(files.map((path) => statSync(path).mode & 0o777)).toEqual([0o600, 0o600, 0o600]);
      expect(warnings).toEqual([]);
    } finally {
      await db.destroy();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(requirement('MySQL', mysqlUrl, 'set MYSQL_URL=mysql://root@127.0.0.1:3306/test'))('a MySQL DATABASE_URL', () => {
  it('connects without ?tls, and with ?tls=amazon-rds refuses a server that offers no TLS', async () => {
    const plain = openAuthDatabase(mysqlUrl!);
    try {
      await expect(sql`select 1 as one`.execute(plain.db)).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await plain.db.destroy();
    }
    // The local MariaDB runs without TLS: the client must fail rather than fall back to plain text.
    const verified = openAuthDatabase(`${mysqlUrl!}?tls=amazon-rds`);
    try {
      await expect(sql`select 1`.execute(verified.db)).rejects.toThrow(/secure connection|SSL|TLS|certificate/i);
    } finally {
      await verified.db.destroy();
    }
  });
});
