import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originPatterns } from '../../extension/api/backend-urls';
import { COMMAND_ACTIONS } from '../../extension/player/background/media-keys';
import { buildExtension } from '../../wxt.build';

const backend = { authUrl: 'http://127.0.0.1:18710', apiUrl: 'http://127.0.0.1:18711', mediaUrl: 'http://127.0.0.1:18712' };

interface Manifest {
  manifest_version: number;
  permissions?: string[];
  host_permissions?: string[];
  optional_permissions?: string[];
  optional_host_permissions?: string[];
  background?: { service_worker?: string; scripts?: string[]; page?: string; persistent?: boolean };
  commands?: Record<string, { suggested_key?: { default?: string } }>;
  browser_specific_settings?: { gecko?: { id?: string } };
}

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** The text of every script the background loads. */
async function backgroundCode(dir: string, manifest: Manifest): Promise<string> {
  const files = manifest.background?.service_worker ? [manifest.background.service_worker] : (manifest.background?.scripts ?? []);
  return (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join('\n');
}

describe('the extension builds for Chrome and Firefox', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'alktunes-build-'));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('Chrome: MV3 with a service worker, the offscreen audio document and least privilege', async () => {
    const dir = await buildExtension({ ...backend, outDir, browser: 'chrome' });
    const manifest = await manifestOf(dir);

    expect(manifest.manifest_version).toBe(3);
    expect(manifest.background?.service_worker).toBeTruthy();
    expect([...(manifest.permissions ?? [])].sort()).toEqual(['alarms', 'offscreen', 'storage']);
    expect(manifest.host_permissions).toEqual(originPatterns(backend));
    expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(existsSync(join(dir, 'offscreen.html'))).toBe(true);
    // The media keys the background listens for are the ones the manifest declares.
    expect(Object.keys(manifest.commands ?? {}).sort()).toEqual(Object.keys(COMMAND_ACTIONS).sort());
    expect(manifest.commands?.['toggle-playback']?.suggested_key?.default).toBe('MediaPlayPause');
  }, 120_000);

  it('Firefox: MV2 with a persistent background page that plays the audio itself', async () => {
    const dir = await buildExtension({ ...backend, outDir, browser: 'firefox' });
    const manifest = await manifestOf(dir);

    expect(manifest.manifest_version).toBe(2);
    expect(manifest.background?.scripts?.length).toBeGreaterThan(0);
    expect(manifest.background?.persistent).not.toBe(false);
    // MV2 lists host access among the permissions; no offscreen API there. Firefox's patterns
    // cannot name a port, so the host is granted on every port.
    expect([...(manifest.permissions ?? [])].sort()).toEqual(['alarms', 'http://127.0.0.1/*', 'storage']);
    expect(manifest.optional_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(manifest.browser_specific_settings?.gecko?.id).toBe('player@alktunes.app');
    expect(existsSync(join(dir, 'offscreen.html'))).toBe(false);
    expect(Object.keys(manifest.commands ?? {}).sort()).toEqual(Object.keys(COMMAND_ACTIONS).sort());
    // The background bundles the same audio engine and shows the OS media controls.
    expect(await backgroundCode(dir, manifest)).toContain('mediaSession');
    expect(await readdir(dir)).toContain('popup.html');
  }, 120_000);
});
