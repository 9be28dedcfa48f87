import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, EventBridgeEvent } from 'aws-lambda';

/** The event API Gateway (HTTP API, payload v2, JWT authorizer) hands to every API Lambda. */
export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiHandler = (event: ApiEvent) => Promise<ApiResult>;

/** The scheduled event that triggers the shuffle. */
export type ScheduleEvent = EventBridgeEvent<'Scheduled Event', Record<string, never>>;

/** The API Lambdas; each one serves the routes mapped to it in `routes.ts`. */
export type FunctionName = 'playlists' | 'playlistImport' | 'catalog' | 'home' | 'search' | 'listening';

export interface ApiRoute {
  /** API Gateway route key, e.g. `GET /playlists/{id}`. */
  routeKey: string;
  function: FunctionName;
}
