'use client';

import { FormError } from '../form-error';
import { changeRoleAction, removeMemberAction } from '../session-actions';
import { dangerButton } from '../ui';
import { useAction } from '../use-action';

export function MemberRow({
  member,
  roles,
  manages,
  isSelf,
}: {
  member: { userId: string; email: string; role: string };
  roles: string[];
  manages: boolean;
  isSelf: boolean;
}) {
  const { run, error, pending } = useAction();
  return (
    <tr className="border-t border-slate-200" data-testid={`member-${member.email}`}>
      <td className="py-2">{member.email}</td>
      <td>
        {manages ? (
          <select
            aria-label={`Role of ${member.email}`}
            defaultValue={member.role}
            disabled={pending}
            onChange={(e) => run(() => changeRoleAction(member.userId, e.target.value))}
            className="rounded border border-slate-300 px-2 py-1 text-sm"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          member.role
        )}
      </td>
      <td className="text-right">
        {manages || isSelf ? (
          <button
            type="button"
            disabled={pending}
            className={dangerButton}
            onClick={() =>
              run(
                () => removeMemberAction(member.userId),
                () => (isSelf ? '/account' : undefined),
              )
            }
          >
            {isSelf ? 'Leave team' : `Remove ${member.email}`}
          </button>
        ) : null}
        <FormError error={error} />
      </td>
    </tr>
  );
}
