import fs from 'node:fs';
import path from 'node:path';

/**
 * AdminJS takes its bundling mode from process.env, so this is the one admin file allowed to touch
 * it (see eslint.config.js).
 * - production: the components bundle is built ahead of time by `npm run build` into
 *   .adminjs/bundle.js and served as a file; with it present we tell AdminJS not to bundle again at
 *   start (ADMIN_JS_SKIP_BUNDLE), so /readyz answers within a second or two. Without it AdminJS
 *   bundles in the background (not awaited: start is not blocked) and we say so.
 * - development/test: AdminJS bundles on the first request for components.bundle.js, never at start.
 */
export function bundleDir(): string {
  return path.resolve(process.env.ADMIN_JS_TMP_DIR ?? '.adminjs');
}

export function prepareBundleMode(log: (line: string) => void): 'prebuilt' | 'background' | 'on-demand' {
  if (process.env.NODE_ENV !== 'production') return 'on-demand';
  if (fs.existsSync(path.join(bundleDir(), 'bundle.js'))) {
    process.env.ADMIN_JS_SKIP_BUNDLE ??= 'true';
    return 'prebuilt';
  }
  if (process.env.ADMIN_JS_SKIP_BUNDLE === 'true') {
    log('AdminJS: ADMIN_JS_SKIP_BUNDLE=true but no prebuilt bundle at .adminjs/bundle.js; run `npm run build`');
    return 'prebuilt';
  }
  log('AdminJS: no prebuilt bundle (run `npm run build`); bundling in the background');
  return 'background';
}

/** For `npm run build`: a minified production bundle, whatever NODE_ENV the shell had. */
export function prepareBuildEnv(): void {
  process.env.NODE_ENV = 'production';
  delete process.env.ADMIN_JS_SKIP_BUNDLE;
}
