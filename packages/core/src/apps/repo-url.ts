// GitHub sends several spellings of one repository (clone_url, html_url,
// ssh_url, git_url); an app stores one. Both sides are reduced to a canonical
// form so any spelling matches.
export function canonicalRepoUrl(url: string): string {
  let u = url.trim();
  const scp = /^[^@\s]+@([^:\s]+):(.+)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^file:\/\//, '');
  u = u.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@/, '');
  u = u.replace(/\/+$/, '').replace(/\.git$/, '');
  if (u.startsWith('/')) return u;
  const slash = u.indexOf('/');
  return slash === -1 ? u.toLowerCase() : u.slice(0, slash).toLowerCase() + u.slice(slash).toLowerCase();
}

/** Every spelling GitHub may use in a push payload, canonicalised and de-duplicated. */
export function repoUrlCandidates(repository: Record<string, unknown>): string[] {
  const keys = ['clone_url', 'html_url', 'ssh_url', 'git_url', 'url', 'svn_url'];
  const out = new Set<string>();
  for (const key of keys) {
    const v = repository[key];
    if (typeof v === 'string' && v) out.add(canonicalRepoUrl(v));
  }
  return [...out];
}
