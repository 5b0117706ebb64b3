import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { can, isRole, lowerRole, PERMISSIONS, type Permission, ROLES, roleRank } from '../src/access/permissions';
import { parseInput } from '../src/apps/app-input';
import { AppError } from '../src/errors';
import { roleSchema } from '../src/teams/team-input';

const role = fc.constantFrom(...ROLES);
const permission = fc.constantFrom(...(Object.keys(PERMISSIONS) as Permission[]));

describe('roles and permissions (property)', () => {
  it('ranks the roles in the order listed, each rank distinct', () => {
    fc.assert(
      fc.property(role, role, (a, b) => {
        expect(roleRank(a)).toBe(ROLES.indexOf(a));
        expect(roleRank(a) >= 0).toBe(true);
        expect(roleRank(a) === roleRank(b)).toBe(a === b);
      }),
    );
  });

  it('lowerRole is commutative, associative and idempotent, returns one of its arguments and never exceeds either', () => {
    fc.assert(
      fc.property(role, role, role, (a, b, c) => {
        const low = lowerRole(a, b);
        expect(lowerRole(b, a)).toBe(low);
        expect([a, b]).toContain(low);
        expect(roleRank(low)).toBeLessThanOrEqual(roleRank(a));
        expect(roleRank(low)).toBeLessThanOrEqual(roleRank(b));
        expect(roleRank(low)).toBe(Math.min(roleRank(a), roleRank(b)));
        expect(lowerRole(a, a)).toBe(a);
        expect(lowerRole(lowerRole(a, b), c)).toBe(lowerRole(a, lowerRole(b, c)));
      }),
    );
  });

  it('can is monotonic: what a role may do, every higher role may do too', () => {
    fc.assert(
      fc.property(role, role, permission, (a, b, p) => {
        const [lower, higher] = roleRank(a) <= roleRank(b) ? [a, b] : [b, a];
        // lower may ⇒ higher may
        expect(!can(lower, p) || can(higher, p)).toBe(true);
      }),
    );
  });

  it('a role may do a permission exactly when it ranks at or above the role the table names', () => {
    fc.assert(
      fc.property(role, permission, (r, p) => {
        expect(can(r, p)).toBe(roleRank(r) >= roleRank(PERMISSIONS[p]));
        expect(can(PERMISSIONS[p], p)).toBe(true);
        expect(can('owner', p)).toBe(true);
      }),
    );
  });

  it('a token at the lower of two roles may do exactly what both roles may', () => {
    fc.assert(
      fc.property(role, role, permission, (a, b, p) => {
        expect(can(lowerRole(a, b), p)).toBe(can(a, p) && can(b, p));
      }),
    );
  });

  it('roleSchema accepts exactly the listed roles, agreeing with isRole', () => {
    const nearRole = fc.oneof(
      role,
      fc.mixedCase(role),
      fc.tuple(role, fc.constantFrom(' ', '\n', 's', '\0')).map(([r, s]) => r + s),
      fc.string(),
      fc.anything(),
    );
    fc.assert(
      fc.property(nearRole, (value) => {
        const result = roleSchema.safeParse(value);
        expect(result.success).toBe(isRole(value));
        expect(result.success).toBe(typeof value === 'string' && (ROLES as readonly string[]).includes(value));
        if (result.success) expect(result.data).toBe(value);
        else {
          try {
            parseInput(roleSchema, value);
            expect.unreachable('expected a validation error');
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            expect((error as AppError).code).toBe('validation_failed');
            expect((error as AppError).message).toBe(`role must be one of ${ROLES.join(', ')}`);
          }
        }
      }),
    );
  });
});
