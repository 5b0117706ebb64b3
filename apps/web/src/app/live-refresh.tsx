'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Re-renders the page when the server says what it shows has changed (one
 * server-sent event stream); `goneTo` is where to go when its subject is deleted.
 */
export function LiveRefresh({ url, goneTo }: { url: string; goneTo?: string }) {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource(url);
    source.addEventListener('changed', () => router.refresh());
    source.addEventListener('gone', () => {
      source.close();
      if (goneTo) router.push(goneTo);
    });
    return () => source.close();
  }, [url, goneTo, router]);
  return null;
}
