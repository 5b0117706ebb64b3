import { type Change, ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import type { Placement } from './load-balancers';

/** Hostnames under the base domain, when its zone is in this account: those get alias records. */
function managedHostnames(ctx: AwsContext, hostnames: string[]): string[] {
  if (!ctx.settings.hostedZoneId) return [];
  return hostnames.filter((h) => h.endsWith(`.${ctx.settings.baseDomain}`));
}

function aliasChange(action: 'UPSERT' | 'DELETE', hostname: string, placement: Placement): Change {
  return {
    Action: action,
    ResourceRecordSet: {
      Name: hostname,
      Type: 'A',
      AliasTarget: {
        HostedZoneId: placement.canonicalHostedZoneId,
        DNSName: placement.dnsName,
        EvaluateTargetHealth: false,
      },
    },
  };
}

/** `<app>.<base domain>` → the app's load balancer. UPSERT is idempotent; done once per process. */
export async function upsertAliases(ctx: AwsContext, placement: Placement, hostnames: string[]): Promise<void> {
  for (const hostname of managedHostnames(ctx, hostnames)) {
    await ctx.memo.once(`alias:${hostname}:${placement.dnsName}`, async () => {
      await ctx.clients.route53
        .send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: ctx.settings.hostedZoneId,
            ChangeBatch: { Changes: [aliasChange('UPSERT', hostname, placement)] },
          }),
        )
        .catch((error) => {
          throw toAppError(error, `ChangeResourceRecordSets ${hostname}`);
        });
    });
  }
}

export async function deleteAliases(ctx: AwsContext, placement: Placement, hostnames: string[]): Promise<void> {
  for (const hostname of managedHostnames(ctx, hostnames)) {
    try {
      await ctx.clients.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: ctx.settings.hostedZoneId,
          ChangeBatch: { Changes: [aliasChange('DELETE', hostname, placement)] },
        }),
      );
    } catch (error) {
      // Already gone.
      if (!isAwsError(error, 'InvalidChangeBatch')) throw toAppError(error, `ChangeResourceRecordSets ${hostname}`);
    }
    ctx.memo.forget(`alias:${hostname}:`);
  }
}
