'use client';

// The dashboard's error page, so a check-up that cannot be shown says so like every other page.
export { default } from '../error';
