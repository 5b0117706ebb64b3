'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { redeliver } from './actions';

export interface DeliveryRow {
  id: string;
  event: string;
  ref: string | null;
  headCommit: string | null;
  status: string;
  result: string | null;
  forApp?: string;
  receivedAt: string;
  canRedeliver: boolean;
}

/** Recent GitHub deliveries: what came, what it caused or why it was ignored; failed or ignored ones can be relayed again. */
export function DeliveriesTable({ deliveries, testId }: { deliveries: DeliveryRow[]; testId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (deliveries.length === 0) return <p className="text-sm text-slate-600">No delivery from GitHub yet.</p>;
  return (
    <div className="space-y-2">
      {error ? (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="text-left text-slate-600">
          <tr>
            <th className="py-1">Received</th>
            <th>Event</th>
            <th>Ref</th>
            <th>Outcome</th>
            <th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {deliveries.map((d) => (
            <tr key={d.id} data-testid={`delivery-${d.id}`}>
              <td className="py-1.5 whitespace-nowrap">{new Date(d.receivedAt).toLocaleString('en')}</td>
              <td className="font-mono">{d.event}</td>
              <td className="font-mono">
                {d.ref ?? ''}
                {d.headCommit ? ` ${d.headCommit.slice(0, 7)}` : ''}
              </td>
              <td>
                <span className={d.status === 'failed' ? 'text-red-700' : d.status === 'ignored' ? 'text-slate-500' : ''}>
                  {d.status}
                </span>
                {(d.forApp ?? d.result) ? <span className="text-slate-600">: {d.forApp ?? d.result}</span> : null}
              </td>
              <td>
                {d.canRedeliver ? (
                  <button
                    type="button"
                    disabled={pending}
                    className="rounded border border-slate-300 px-2 py-0.5 text-xs disabled:opacity-50"
                    onClick={() =>
                      startTransition(async () => {
                        const result = await redeliver(d.id);
                        setError(result.ok ? null : result.error);
                        router.refresh();
                      })
                    }
                  >
                    Redeliver
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
