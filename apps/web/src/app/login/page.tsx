import { SignInForm } from './sign-in-form';

export default function LoginPage() {
  return (
    <div className="mx-auto max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-1 text-lg font-semibold">Sign in</h1>
      <p className="mb-4 text-sm text-slate-600">
        Paste the admin token (<code>PAAS_ADMIN_TOKEN</code>). <code>npm start</code> prints it and keeps it in{' '}
        <code>.paas/secrets.env</code>.
      </p>
      <SignInForm />
    </div>
  );
}
