'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { addCloudAccount } from '../actions';

/** An AWS account by the role the account template made (or the workers' own credentials when left empty). */
export function AddCloudAccount() {
  const router = useRouter();
  const [form, setForm] = useState({ name: '', region: 'us-east-1', roleArn: '', externalId: '' });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <label className="flex flex-col text-sm">
      {label}
      <input
        type={type}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        className="rounded border border-slate-300 px-2 py-1"
      />
    </label>
  );
  return (
    <form
      className="grid max-w-xl gap-2 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await addCloudAccount(form);
          if (!result.ok) return setError(result.error);
          setError(null);
          setForm({ name: '', region: 'us-east-1', roleArn: '', externalId: '' });
          router.refresh();
        });
      }}
    >
      <h2 className="font-semibold">Add an AWS account</h2>
      {field('name', 'Name')}
      {field('region', 'Region')}
      {field('roleArn', 'Role ARN (from the account template)')}
      {field('externalId', 'ExternalId', 'password')}
      <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-50">
        Add account
      </button>
      {error ? (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
