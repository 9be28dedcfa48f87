import {
  CLOUDFRONT_RANGES_SERVICE_UNIT,
  CLOUDFRONT_RANGES_TIMER_UNIT,
  cloudFrontRangesServiceUnit,
  cloudFrontRangesTimerUnit,
} from './auth-server-cloudfront-ranges';
import {
  AUTH_SERVICE_UNIT,
  HEALTH_PROBE_SERVICE_UNIT,
  HEALTH_PROBE_TIMER_UNIT,
  authServiceUnit,
  healthProbeServiceUnit,
  healthProbeTimerUnit,
} from './auth-server-files';

/** Every systemd unit the auth instance installs, by file name: what the artifact ships and the tests verify. */
export const authServerUnits: Readonly<Record<string, string>> = {
  [AUTH_SERVICE_UNIT]: authServiceUnit,
  [HEALTH_PROBE_SERVICE_UNIT]: healthProbeServiceUnit,
  [HEALTH_PROBE_TIMER_UNIT]: healthProbeTimerUnit,
  [CLOUDFRONT_RANGES_SERVICE_UNIT]: cloudFrontRangesServiceUnit,
  [CLOUDFRONT_RANGES_TIMER_UNIT]: cloudFrontRangesTimerUnit,
};
