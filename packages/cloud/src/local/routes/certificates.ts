import type { CertificateInfo, DnsRecord } from '@paas/core';

// The local router serves plain HTTP on this machine: a custom domain needs no
// certificate here, only a DNS name that points at the machine. These keep the
// domain state machine the same on both providers.
export const localCertificates = {
  requestCertificate: async (input: { hostname: string }) => ({ certificateRef: `local:${input.hostname}` }),
  describeCertificate: async (): Promise<CertificateInfo> => ({ state: 'issued', validationRecords: [] }),
  publishValidationRecords: async () => true,
  domainTarget: async (): Promise<DnsRecord | null> => null,
  attachCertificate: async () => {},
  detachCertificate: async () => {},
  deleteCertificate: async () => {},
};
