import { errorText } from './ui';

/** The message of a refused change, where the change was asked for. */
export function FormError({ error, className = 'w-full text-sm' }: { error: string | null; className?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className={`${className} ${errorText}`}>
      {error}
    </p>
  );
}
