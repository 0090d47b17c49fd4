/**
 * `npm run build`: bundles the custom AdminJS components once, ahead of time, into
 * .adminjs/bundle.js, so a production start serves the file instead of running rollup.
 * AdminJS reads NODE_ENV when its modules load, hence the dynamic imports after prepareBuildEnv.
 */
import { prepareBuildEnv, bundleDir } from './env.js';

prepareBuildEnv();
const started = Date.now();
const { default: AdminJS } = await import('adminjs');
const { componentLoader } = await import('./component-loader.js');
const admin = new AdminJS({ rootPath: '/admin', componentLoader });
await admin.initialize();
process.stdout.write(`AdminJS bundle written to ${bundleDir()}/bundle.js in ${Date.now() - started} ms\n`);
