import { shellQuote } from './shell';

/** How many entries of each kind (node_modules, venv) an app's cache keeps. */
export const CACHE_ENTRIES_KEPT = 3;

/**
 * Bash functions for the dependency cache, a directory per app that outlives
 * builds (empty on a fresh builder instance: then every lookup misses).
 *
 *   <cacheDir>/<kind>/<key>/data   a copy of an installed tree, e.g. node_modules
 *   <cacheDir>/<kind>/.tmp.*       an entry being written
 *   <cacheDir>/<kind>/.lock        flock: shared to read an entry, exclusive to add or evict
 *
 * An entry is copied to a temporary name and renamed into place whole, so a
 * build killed while writing leaves only a `.tmp.*` directory, which no lookup
 * reads (and a later save removes after an hour). Lookups copy out of the
 * cache (reflinks where the file system has them), never link: builds go on to
 * change their tree (npm run build, npm prune, generated clients), and must
 * not change the cache with it. The newest entries are kept; a hit counts as new.
 */
export function cacheFunctions(cacheDir: string): string[] {
  return [
    `paas_cache=${shellQuote(cacheDir)}`,
    'cache_key() { sha256sum | cut -c1-40; }',
    '# cache_restore KIND KEY DEST MESSAGE: copies the entry to DEST; fails when there is none.',
    'cache_restore() {',
    '  local dir="$paas_cache/$1" entry="$paas_cache/$1/$2"',
    '  mkdir -p "$dir" 2>/dev/null || return 1',
    '  (',
    '    flock -s -w 300 9 || exit 1',
    '    [ -d "$entry/data" ] || exit 1',
    '    step "$4"',
    '    touch "$entry" || true',
    '    if ! cp -a --reflink=auto "$entry/data" "$3"; then',
    '      rm -rf "$3"',
    '      warn "Could not copy from the cache; installing instead"',
    '      exit 1',
    '    fi',
    '  ) 9>"$dir/.lock"',
    '}',
    '# cache_save KIND KEY SRC: adds a copy of SRC as the entry KEY, then evicts the oldest entries.',
    'cache_save() {',
    '  local dir="$paas_cache/$1" tmp',
    '  mkdir -p "$dir" 2>/dev/null && tmp=$(mktemp -d "$dir/.tmp.XXXXXXXX") || { warn "The cache is not writable"; return 0; }',
    '  if ! cp -a --reflink=auto "$3" "$tmp/data"; then rm -rf "$tmp"; warn "Could not save to the cache"; return 0; fi',
    '  (',
    '    flock -x -w 300 9 || exit 0',
    '    if mv -T "$tmp" "$dir/$2" 2>/dev/null; then note "Saved to the cache for the next builds"; fi',
    `    ls -1t "$dir" | tail -n +${CACHE_ENTRIES_KEPT + 1} | while read -r old; do rm -rf "\${dir:?}/$old"; done`,
    `    find "$dir" -mindepth 1 -maxdepth 1 -name '.tmp.*' -mmin +60 -exec rm -rf {} +`,
    '  ) 9>"$dir/.lock" || true',
    '  rm -rf "$tmp"',
    '}',
  ];
}
