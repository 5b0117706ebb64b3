import { createHash } from 'node:crypto';

export interface Bundle {
  code: string;
  /** Short sha256 of the code: names the bundle's file or key, so versions never mix. */
  digest: string;
}

const bundles = new Map<string, Promise<Bundle>>();

/**
 * A TypeScript entry point and everything it imports as one plain ES module
 * for Node, built once per process from this checkout's source (so what runs
 * elsewhere is the code the platform was started with). A failed build is
 * not cached: the next call tries again.
 */
export function bundleModule(entry: URL, options: { minify?: boolean } = {}): Promise<Bundle> {
  const key = `${entry.href}:${options.minify === true}`;
  let bundle = bundles.get(key);
  if (bundle === undefined) {
    bundle = (async () => {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [entry.pathname],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        write: false,
        minify: options.minify === true,
        legalComments: 'none',
        // Some dependencies are CommonJS and call require() on node builtins.
        banner: {
          js: "import { createRequire as __paasRequire } from 'node:module'; const require = __paasRequire(import.meta.url);",
        },
      });
      const code = out.outputFiles[0]?.text ?? '';
      return { code, digest: createHash('sha256').update(code).digest('hex').slice(0, 16) };
    })();
    bundles.set(key, bundle);
    bundle.catch(() => bundles.delete(key));
  }
  return bundle;
}
