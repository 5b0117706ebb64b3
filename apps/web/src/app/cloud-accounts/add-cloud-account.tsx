'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { addCloudAccount } from '../actions';
import { FormError } from '../form-error';
import { roleTitle } from '../role-title';
import { card, inputClass, labelClass, primaryButton } from '../ui';

/** An AWS account by the role the account template made (or the workers' own credentials when left empty). */
export function AddCloudAccount({ canAdd }: { canAdd: boolean }) {
  const router = useRouter();
  const [form, setForm] = useState({ name: '', region: 'us-east-1', roleArn: '', externalId: '' });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <label className={labelClass}>
      {label}
      <input
        type={type}
        value={form[key]}
        disabled={!canAdd}
        title={roleTitle(canAdd, 'cloudAccount.write')}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        className={inputClass}
      />
    </label>
  );
  return (
    <form
      className={`grid max-w-xl gap-3 ${card}`}
      data-testid="add-cloud-account"
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
      <button
        type="submit"
        disabled={pending || !canAdd}
        title={roleTitle(canAdd, 'cloudAccount.write')}
        className={`sm:justify-self-start ${primaryButton}`}
      >
        Add account
      </button>
      <FormError error={error} className="text-sm" />
    </form>
  );
}
