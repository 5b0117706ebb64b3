'use client';

import { switchTeam } from '../session-actions';

export function TeamSwitch({
  teams,
  current,
}: {
  teams: { slug: string; name: string; role: string }[];
  current: string | null;
}) {
  return (
    <ul className="space-y-1 text-sm" data-testid="my-teams">
      {teams.map((t) => (
        <li key={t.slug} className="flex items-center gap-3">
          <span>
            {t.name} (<code>{t.slug}</code>) as {t.role}
          </span>
          {t.slug === current ? (
            <span className="text-xs text-slate-500">current</span>
          ) : (
            <button type="button" className="text-indigo-700 hover:underline" onClick={() => switchTeam(t.slug)}>
              Switch to {t.slug}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
