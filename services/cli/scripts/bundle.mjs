// `paperwire` as a few ES modules (esbuild, code-split per command) instead of hundreds of files: a read
// command loads mongoose and the MongoDB driver from one chunk rather than resolving ~400 modules, which
// halves its start-up CPU. Run by `npm run build` after tsc (the bundle starts from the compiled dist/).
// Packages that find files beside their own code at run time (the launcher, bull-board's UI, native addons)
// and the optional drivers stay external and load from node_modules as usual.
import { build } from 'esbuild';

const EXTERNAL = [
  '@paperwire/local-infra', // the embedded-server launcher: its Go module and supervisor are files beside it
  '@bull-board/*', // serves its UI's static files from its package directory
  '@fastify/swagger', // reads its own package.json beside its code
  'pino-pretty', // loaded only on a terminal
  'msgpackr-extract', // native addon (BullMQ's msgpackr falls back to JS without it)
  // The MongoDB driver's optional peers, required only when configured.
  'kerberos',
  'snappy',
  '@mongodb-js/zstd',
  'mongodb-client-encryption',
  '@aws-sdk/credential-providers',
  'gcp-metadata',
  'socks',
  'aws4',
];

await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outdir: new URL('../dist/bundle', import.meta.url).pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external: EXTERNAL,
  // CommonJS dependencies (mongoose, the driver) call require(); give the ES module chunks one.
  banner: {
    js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);",
  },
  logLevel: 'error',
  legalComments: 'none',
});
