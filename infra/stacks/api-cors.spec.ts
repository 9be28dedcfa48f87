import type { AddressInfo } from 'node:net';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../backend/api/routes';
import { createGateway } from '../../backend/local/gateway';
import { synthApp } from '../testing/synth';

const extensionOrigin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const list = (header: string | null) =>
  (header ?? '')
    .toLowerCase()
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .sort();
const lower = (items: readonly string[]) => items.map((item) => item.toLowerCase()).sort();

/**
 * Deployed, API Gateway answers preflights; in the local stack, its stand-in does. They must not disagree
 * on methods and headers; the origins are the deployment's `corsOrigins` (see backend/http/cors.ts).
 */
describe("the API's CORS", () => {
  let deployed: { AllowOrigins: string[]; AllowMethods: string[]; AllowHeaders: string[]; ExposeHeaders: string[]; MaxAge: number };
  let localUrl: string;
  const gateway = createGateway({
    routes: apiRoutes,
    functions: {} as never,
    authorizer: { authorize: async () => undefined },
    health: async () => {},
    log: () => {},
  });

  beforeAll(async () => {
    const template = Template.fromStack(synthApp({ corsOrigins: extensionOrigin }).api);
    [deployed] = Object.values(template.findResources('AWS::ApiGatewayV2::Api')).map((api) => api.Properties.CorsConfiguration);
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    localUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => gateway.close(() => resolve())));

  const preflight = (origin: string) =>
    fetch(`${localUrl}/playlists`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });

  it('allows the same methods and headers, exposes the same headers and caches preflights as long', async () => {
    const local = await preflight(extensionOrigin);
    expect(local.status).toBe(204);
    expect(list(local.headers.get('access-control-allow-methods'))).toEqual(lower(deployed.AllowMethods));
    expect(list(local.headers.get('access-control-allow-headers'))).toEqual(lower(deployed.AllowHeaders));
    expect(list(local.headers.get('access-control-expose-headers'))).toEqual(lower(deployed.ExposeHeaders));
    expect(Number(local.headers.get('access-control-max-age'))).toBe(deployed.MaxAge);
    expect(deployed.AllowHeaders).toContain('idempotency-key');
    expect(deployed.ExposeHeaders).toContain('idempotent-replayed');
  });

  it('allows any origin by default and never with credentials: the API reads bearer tokens, not cookies', () => {
    const template = Template.fromStack(synthApp().api);
    const [byDefault] = Object.values(template.findResources('AWS::ApiGatewayV2::Api')).map((api) => api.Properties.CorsConfiguration);
    expect(byDefault.AllowOrigins).toEqual(['*']);
    expect(byDefault.AllowCredentials).toBeUndefined();
    expect(byDefault.AllowMethods).toEqual(deployed.AllowMethods);
  });

  it("answers only the extension's origin when the deployment lists it", async () => {
    expect(deployed.AllowOrigins).toEqual([extensionOrigin]);
    expect((await preflight(extensionOrigin)).headers.get('access-control-allow-origin')).toBe(extensionOrigin);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
