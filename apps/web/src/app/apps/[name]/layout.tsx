import type { ReactNode } from 'react';
import { requireSession } from '../../signed-in-only';

/** An app's pages (the app, its deployments): signed in first, then their loading skeletons. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  await requireSession();
  return children;
}
