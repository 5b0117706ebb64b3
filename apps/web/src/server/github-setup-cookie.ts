import 'server-only';

/** Holds the App-manifest flow's `state` from its start to GitHub's answer. */
export const GITHUB_SETUP_COOKIE = 'paas_github_setup';
export const GITHUB_SETUP_PATH = '/github/setup';
