import { type TrafficMetricsQuery, type TrafficMinute, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { localNames } from '../names';
import { readTrafficBuckets } from './read-traffic-buckets';
import { appTarget, MINUTE_MS } from './traffic-files';
import { trafficMinutes } from './traffic-minutes';

/**
 * What the router saw for the app per minute: requests it forwarded to the
 * app's server groups plus the errors it answered itself for the app (no
 * healthy instance, instance unreachable).
 */
export async function readTrafficMetrics(ctx: LocalContext, query: TrafficMetricsQuery): Promise<TrafficMinute[]> {
  const from = query.from.getTime();
  const to = query.to.getTime();
  if (!(from % MINUTE_MS === 0 && to % MINUTE_MS === 0))
    throw validationError('traffic metrics are read in whole minutes: from and to must fall on a minute');
  if (to < from) throw validationError('traffic metrics need from ≤ to');
  if (to === from) return [];
  const targets = [...query.serverGroupRefs, appTarget(localNames.appId(query.app.id))];
  return trafficMinutes(await readTrafficBuckets(ctx.layout, targets, from, to));
}
