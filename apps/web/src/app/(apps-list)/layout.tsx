import type { ReactNode } from 'react';
import { requireSession } from '../signed-in-only';

export default async function AppsListLayout({ children }: { children: ReactNode }) {
  await requireSession();
  return children;
}
