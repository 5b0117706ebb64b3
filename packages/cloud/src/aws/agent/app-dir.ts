/** Where the builder leaves the built app, and where an app instance finds it in the image (under the root). */
export const APP_DIR = 'opt/paas/app';
