import { DeleteCertificateCommand, DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  AddListenerCertificatesCommand,
  DescribeListenerCertificatesCommand,
  RemoveListenerCertificatesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { AppError, type AppRef, type CertificateInfo, type DnsRecord } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { appTags, tagList } from '../tags';
import { placementOf } from './load-balancers';

/** An ALB listener serves its default certificate and at most 25 more. */
const EXTRA_CERTIFICATES_PER_LISTENER = 25;

/** ACM with DNS validation; the idempotency token is the platform's certificate id, so a retry gets the same one. */
export async function requestCertificate(
  ctx: AwsContext,
  input: { app: AppRef; certificateId: string; hostname: string },
): Promise<{ certificateRef: string }> {
  const out = await ctx.clients.acm
    .send(
      new RequestCertificateCommand({
        DomainName: input.hostname,
        ValidationMethod: 'DNS',
        IdempotencyToken: input.certificateId.replaceAll('-', '').slice(0, 32),
        Tags: tagList(appTags(input.app)),
      }),
    )
    .catch((error) => {
      throw toAppError(error, `RequestCertificate ${input.hostname}`);
    });
  if (!out.CertificateArn) throw toAppError(new Error('no certificate returned'), 'RequestCertificate');
  return { certificateRef: out.CertificateArn };
}

export async function describeCertificate(ctx: AwsContext, ref: string): Promise<CertificateInfo> {
  const out = await ctx.clients.acm.send(new DescribeCertificateCommand({ CertificateArn: ref })).catch((error) => {
    throw toAppError(error, 'DescribeCertificate');
  });
  const cert = out.Certificate;
  const validationRecords: DnsRecord[] = (cert?.DomainValidationOptions ?? []).flatMap((o) =>
    o.ResourceRecord?.Name && o.ResourceRecord.Value
      ? [{ name: o.ResourceRecord.Name, type: 'CNAME' as const, value: o.ResourceRecord.Value }]
      : [],
  );
  if (cert?.Status === 'ISSUED') return { state: 'issued', validationRecords };
  if (cert?.Status === 'PENDING_VALIDATION') return { state: 'pending_validation', validationRecords };
  return { state: 'failed', validationRecords, reason: cert?.FailureReason ?? cert?.Status ?? 'unknown' };
}

/** The validation CNAMEs go into Route 53 when the account hosts the hostname's zone. */
export async function publishValidationRecords(ctx: AwsContext, ref: string): Promise<boolean> {
  const { validationRecords } = await describeCertificate(ctx, ref);
  if (validationRecords.length === 0) return false;
  const zone = await hostedZoneFor(ctx, validationRecords[0]?.name ?? '');
  if (!zone) return false;
  await ctx.clients.route53
    .send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Comment: 'certificate validation',
          Changes: validationRecords.map((r) => ({
            Action: 'UPSERT',
            ResourceRecordSet: { Name: r.name, Type: r.type, TTL: 300, ResourceRecords: [{ Value: r.value }] },
          })),
        },
      }),
    )
    .catch((error) => {
      throw toAppError(error, 'ChangeResourceRecordSets (validation)');
    });
  return true;
}

/** The public zone of this account with the longest name that contains the hostname. */
async function hostedZoneFor(ctx: AwsContext, hostname: string): Promise<string | null> {
  const name = hostname.replace(/\.$/, '').toLowerCase();
  let best: { id: string; length: number } | null = null;
  let Marker: string | undefined;
  do {
    const out = await ctx.clients.route53.send(new ListHostedZonesCommand({ Marker })).catch((error) => {
      throw toAppError(error, 'ListHostedZones');
    });
    for (const z of out.HostedZones ?? []) {
      const zoneName = (z.Name ?? '').replace(/\.$/, '').toLowerCase();
      if (z.Config?.PrivateZone || !z.Id) continue;
      if ((name === zoneName || name.endsWith(`.${zoneName}`)) && zoneName.length > (best?.length ?? 0)) {
        best = { id: z.Id.replace('/hostedzone/', ''), length: zoneName.length };
      }
    }
    Marker = out.IsTruncated ? out.NextMarker : undefined;
  } while (Marker);
  return best?.id ?? null;
}

export async function domainTarget(ctx: AwsContext, app: AppRef): Promise<DnsRecord | null> {
  const placement = await placementOf(ctx, app.id, true);
  return placement?.dnsName ? { name: '', type: 'CNAME', value: placement.dnsName } : null;
}

/** On the app's HTTPS listener; without the base domain's certificate there is none, and domains are served over HTTP. */
export async function attachCertificate(ctx: AwsContext, app: AppRef, ref: string): Promise<void> {
  if (!ctx.settings.certificateArn) return;
  const placement = await placementOf(ctx, app.id, true);
  if (!placement) return;
  const current = await ctx.clients.elb
    .send(new DescribeListenerCertificatesCommand({ ListenerArn: placement.listenerArn }))
    .catch((error) => {
      throw toAppError(error, 'DescribeListenerCertificates');
    });
  const extra = (current.Certificates ?? []).filter((c) => !c.IsDefault);
  if (extra.some((c) => c.CertificateArn === ref)) return;
  if (extra.length >= EXTRA_CERTIFICATES_PER_LISTENER) {
    throw new AppError(
      'conflict',
      `the load balancer of ${app.name} already serves ${EXTRA_CERTIFICATES_PER_LISTENER} custom domain certificates`,
    );
  }
  await ctx.clients.elb
    .send(new AddListenerCertificatesCommand({ ListenerArn: placement.listenerArn, Certificates: [{ CertificateArn: ref }] }))
    .catch((error) => {
      throw toAppError(error, 'AddListenerCertificates');
    });
}

export async function detachCertificate(ctx: AwsContext, app: AppRef, ref: string): Promise<void> {
  if (!ctx.settings.certificateArn) return;
  const placement = await placementOf(ctx, app.id, false);
  if (!placement) return;
  try {
    await ctx.clients.elb.send(
      new RemoveListenerCertificatesCommand({ ListenerArn: placement.listenerArn, Certificates: [{ CertificateArn: ref }] }),
    );
  } catch (error) {
    if (!isAwsError(error, 'CertificateNotFound', 'CertificateNotFoundException'))
      throw toAppError(error, 'RemoveListenerCertificates');
  }
}

export async function deleteCertificate(ctx: AwsContext, ref: string): Promise<void> {
  try {
    await ctx.clients.acm.send(new DeleteCertificateCommand({ CertificateArn: ref }));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return;
    // Still attached somewhere (ALB takes a moment to let go): try again later.
    if (isAwsError(error, 'ResourceInUseException'))
      throw new AppError('cloud_unavailable', 'the certificate is still in use; retrying');
    throw toAppError(error, 'DeleteCertificate');
  }
}
