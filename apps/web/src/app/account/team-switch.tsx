'use client';

import { switchTeam } from '../session-actions';
import { faintText, inlineCode, listCard, textButton } from '../ui';

export function TeamSwitch({
  teams,
  current,
}: {
  teams: { slug: string; name: string; role: string }[];
  current: string | null;
}) {
  return (
    <ul className={`text-sm ${listCard}`} data-testid="my-teams">
      {teams.map((t) => (
        <li key={t.slug} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 px-4 py-2">
          <span className="min-w-0 break-words">
            {t.name} (<code className={inlineCode}>{t.slug}</code>) as {t.role}
          </span>
          {t.slug === current ? (
            <span className={`text-xs ${faintText}`}>current</span>
          ) : (
            <button type="button" className={textButton} onClick={() => switchTeam(t.slug)}>
              Switch to {t.slug}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
