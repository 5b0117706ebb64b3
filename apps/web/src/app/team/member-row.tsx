'use client';

import { FormError } from '../form-error';
import { changeRoleAction, removeMemberAction } from '../session-actions';
import { cell, fieldClass, smallDangerButton } from '../ui';
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
    <tr data-testid={`member-${member.email}`}>
      <td className={`${cell} break-words`}>{member.email}</td>
      <td className={cell}>
        {manages ? (
          <select
            aria-label={`Role of ${member.email}`}
            defaultValue={member.role}
            disabled={pending}
            onChange={(e) => run(() => changeRoleAction(member.userId, e.target.value))}
            className={fieldClass}
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
      <td className={`${cell} text-right`}>
        {manages || isSelf ? (
          <button
            type="button"
            disabled={pending}
            className={`whitespace-nowrap ${smallDangerButton}`}
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
