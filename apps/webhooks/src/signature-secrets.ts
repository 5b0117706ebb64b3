/**
 * The secrets a delivery's signature may be made with. Today the platform's
 * own (GITHUB_WEBHOOK_SECRET); a delivery signed with none of them is refused.
 */
export interface SignatureSecrets {
  candidates(): Promise<string[]>;
}

export function platformSecrets(webhookSecret: string): SignatureSecrets {
  return { candidates: async () => [webhookSecret] };
}
