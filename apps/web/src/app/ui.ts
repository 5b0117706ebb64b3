// The classes pages share, so they look alike in light and dark (the system's
// setting: Tailwind's `dark:` is prefers-color-scheme). One accent (indigo),
// slate for everything neutral, `rounded` for controls and `rounded-lg` for boxes.

// Text
export const mutedText = 'text-slate-600 dark:text-slate-400';
export const faintText = 'text-slate-500 dark:text-slate-400';
export const errorText = 'text-red-700 dark:text-red-400';
export const successText = 'text-emerald-700 dark:text-emerald-400';
export const linkClass = 'text-indigo-700 hover:underline dark:text-indigo-400';
export const pageTitle = 'text-2xl font-semibold tracking-tight';
export const sectionTitle = 'mb-3 text-lg font-semibold';

// Boxes
export const cardBare = 'rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900';
export const card = `${cardBare} p-4`;
/** A list in a box, one row per item. */
export const listCard = `divide-y divide-slate-200 dark:divide-slate-800 ${cardBare}`;
/** Says what is missing and what to do about it. */
export const emptyState =
  'rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-400';
export const infoBanner =
  'rounded-lg border border-slate-200 bg-slate-100 px-3 py-2 text-sm text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200';
export const errorBanner =
  'rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200';
export const successBanner =
  'rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200';
/** Logs and commands: dark in both schemes, scrolling inside themselves. */
export const codeBlock =
  'overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100 ring-1 ring-slate-900/10 dark:bg-black/60 dark:ring-slate-800';
export const inlineCode = 'rounded bg-slate-100 px-1 font-mono text-[0.9em] dark:bg-slate-800';

// Tables: the wrapper scrolls sideways on a narrow screen, never the page.
export const tableWrap = `overflow-x-auto ${cardBare}`;
export const tableClass = 'w-full text-sm';
export const tableHead =
  'border-b border-slate-200 text-left text-xs font-medium text-slate-500 dark:border-slate-800 dark:text-slate-400';
export const tableBody = 'divide-y divide-slate-200 dark:divide-slate-800';
/** Padding of a cell: `th` and `td` alike. */
export const cell = 'px-4 py-2';

// Forms
const control =
  'rounded border border-slate-300 bg-white text-slate-900 placeholder:text-slate-400 focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-500 dark:disabled:bg-slate-800 dark:disabled:text-slate-400';
export const inputClass = `w-full px-3 py-2 text-sm ${control}`;
/** An input whose width the form sets (full width on a phone). */
export const fieldClass = `px-2 py-1.5 text-sm ${control}`;
export const labelClass = 'flex flex-col gap-1 text-sm';
/** A form laid out in a row that wraps; its fields go full width on a phone. */
export const formRow = 'flex flex-wrap items-end gap-3';

// Buttons
const button =
  'inline-flex items-center justify-center gap-1 rounded text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50';
export const primaryButton = `${button} bg-indigo-600 px-3 py-2 text-white hover:bg-indigo-500 disabled:hover:bg-indigo-600`;
export const secondaryButton = `${button} border border-slate-300 bg-white px-3 py-1.5 text-slate-800 hover:bg-slate-50 disabled:hover:bg-white dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 dark:disabled:hover:bg-slate-900`;
export const dangerButton = `${button} border border-red-300 bg-white px-3 py-1.5 text-red-700 hover:bg-red-50 disabled:hover:bg-white dark:border-red-900 dark:bg-slate-900 dark:text-red-400 dark:hover:bg-red-950/60 dark:disabled:hover:bg-slate-900`;
export const solidDangerButton = `${button} bg-red-600 px-3 py-2 text-white hover:bg-red-500 disabled:hover:bg-red-600`;
/** The small buttons in a table row. */
export const smallSecondaryButton = `${button} border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100 disabled:hover:bg-transparent dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800`;
export const smallDangerButton = `${button} border border-red-300 px-2 py-0.5 text-xs text-red-700 hover:bg-red-50 disabled:hover:bg-transparent dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950/60`;
/** A button that reads like a link (in a table's action column). */
export const textButton =
  'text-indigo-700 hover:underline disabled:cursor-not-allowed disabled:opacity-50 disabled:hover:no-underline dark:text-indigo-400';

// Loading skeletons
export const skeleton = 'animate-pulse rounded bg-slate-200 dark:bg-slate-800';

/** A path segment for display: decoded when it can be, as it came when not. */
export function segmentText(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
