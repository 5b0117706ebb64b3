// Deterministic names make every cloud write idempotent: a retried launch
// finds the group an earlier attempt created instead of creating another.
export function serverGroupName(app: string, version: number, processType: string): string {
  return `${app}-v${version}-${processType}`;
}
