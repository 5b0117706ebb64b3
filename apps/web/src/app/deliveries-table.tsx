'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { redeliver } from './actions';
import {
  cell,
  emptyState,
  errorText,
  faintText,
  mutedText,
  smallSecondaryButton,
  tableBody,
  tableClass,
  tableHead,
  tableWrap,
} from './ui';

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
export function DeliveriesTable({
  deliveries,
  testId,
  emptyText = 'No delivery from GitHub yet.',
}: {
  deliveries: DeliveryRow[];
  testId: string;
  /** What an empty list means here, and what to do about it. */
  emptyText?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (deliveries.length === 0) {
    return (
      <p className={emptyState} data-testid={`${testId}-empty`}>
        {emptyText}
      </p>
    );
  }
  return (
    <div className="space-y-2">
      {error ? (
        <p className={`text-sm ${errorText}`} role="alert">
          {error}
        </p>
      ) : null}
      <div className={tableWrap}>
        <table className={tableClass} data-testid={testId}>
          <thead className={tableHead}>
            <tr>
              <th className={cell}>Received</th>
              <th className={cell}>Event</th>
              <th className={cell}>Ref</th>
              <th className={cell}>Outcome</th>
              <th className={cell} />
            </tr>
          </thead>
          <tbody className={tableBody}>
            {deliveries.map((d) => (
              <tr key={d.id} data-testid={`delivery-${d.id}`}>
                <td className={`${cell} whitespace-nowrap`}>{new Date(d.receivedAt).toLocaleString('en')}</td>
                <td className={`${cell} font-mono`}>{d.event}</td>
                <td className={`${cell} font-mono whitespace-nowrap`}>
                  {d.ref ?? ''}
                  {d.headCommit ? ` ${d.headCommit.slice(0, 7)}` : ''}
                </td>
                <td className={cell}>
                  <span className={d.status === 'failed' ? errorText : d.status === 'ignored' ? faintText : ''}>{d.status}</span>
                  {(d.forApp ?? d.result) ? <span className={mutedText}>: {d.forApp ?? d.result}</span> : null}
                </td>
                <td className={`${cell} text-right`}>
                  {d.canRedeliver ? (
                    <button
                      type="button"
                      disabled={pending}
                      className={smallSecondaryButton}
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
    </div>
  );
}
