// Prisma error codes checked structurally, so the domain needs no runtime
// import of the ORM. P2002 = unique constraint violated.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
