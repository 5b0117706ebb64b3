'use client';

import { useEffect, useRef, useState } from 'react';
import { codeBlock, faintText } from '../../ui';

/**
 * Shows a plain-text log from the API and keeps reading while the server
 * streams (`?follow=1`); the session cookie authenticates the read.
 */
export function LogStream({ url, label, emptyText }: { url: string; label: string; emptyText: string }) {
  const [text, setText] = useState('');
  const [state, setState] = useState<'loading' | 'streaming' | 'ended' | 'error'>('loading');
  const box = useRef<HTMLPreElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  // Read only once the log is on screen: a page left open at its top costs no log reads.
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    const el = wrapper.current;
    if (!el || visible) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setVisible(true);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible) return;
    const controller = new AbortController();
    setText('');
    setState('loading');
    (async () => {
      const res = await fetch(url, { signal: controller.signal, cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      setState('streaming');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        setText((before) => (before + value).slice(-500_000));
      }
      setState('ended');
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) setState(error instanceof Error && error.name === 'AbortError' ? 'ended' : 'error');
    });
    return () => controller.abort();
  }, [url, visible]);

  // Follow the end as text arrives (the length is what changes).
  const length = text.length;
  useEffect(() => {
    const el = box.current;
    if (el && length >= 0) el.scrollTop = el.scrollHeight;
  }, [length]);

  return (
    <div ref={wrapper}>
      <div className={`mb-1 text-xs ${faintText}`} data-testid={`${label}-state`}>
        {state === 'streaming'
          ? 'live'
          : state === 'loading'
            ? 'loading…'
            : state === 'error'
              ? 'could not read the log'
              : 'complete'}
      </div>
      <pre ref={box} role="log" aria-label={label} data-testid={label} className={`max-h-96 ${codeBlock}`}>
        {text || (state === 'loading' ? '' : emptyText)}
      </pre>
    </div>
  );
}
