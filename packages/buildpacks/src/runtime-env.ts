/** Defaults every process of a Node image starts with; the app's config vars override them. */
export const NODE_RUNTIME_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
};
