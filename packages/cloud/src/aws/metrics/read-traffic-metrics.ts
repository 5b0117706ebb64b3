import { GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { type TrafficMetricsQuery, type TrafficMinute, validationError } from '@paas/core';
import type { AwsContext } from '../context';
import { toAppError } from '../errors';
import { trafficDimensions } from './traffic-dimensions';
import { trafficMinutes, trafficQueries } from './traffic-queries';

// GetMetricData takes up to 500 queries a call and pages its answer.
const QUERIES_PER_CALL = 500;

/** What the app's load balancer saw, per minute, over its target groups: one GetMetricData for all of them. */
export async function readTrafficMetrics(ctx: AwsContext, query: TrafficMetricsQuery): Promise<TrafficMinute[]> {
  const from = query.from.getTime();
  const to = query.to.getTime();
  if (!(from % 60_000 === 0 && to % 60_000 === 0))
    throw validationError('traffic metrics are read in whole minutes: from and to must fall on a minute');
  if (to < from) throw validationError('traffic metrics need from ≤ to');
  if (to === from) return [];
  const groups = await trafficDimensions(ctx, query.app.id, query.serverGroupRefs, query.from);
  if (groups.length === 0) return [];
  const queries = trafficQueries(groups);
  const results: MetricDataResult[] = [];
  for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
    let NextToken: string | undefined;
    do {
      const out = await ctx.clients.cloudwatch
        .send(
          new GetMetricDataCommand({
            MetricDataQueries: queries.slice(i, i + QUERIES_PER_CALL),
            StartTime: query.from,
            EndTime: query.to,
            ScanBy: 'TimestampAscending',
            NextToken,
          }),
        )
        .catch((error) => {
          throw toAppError(error, 'GetMetricData');
        });
      results.push(...(out.MetricDataResults ?? []));
      NextToken = out.NextToken;
    } while (NextToken);
  }
  return trafficMinutes(results);
}
