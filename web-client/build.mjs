// Bundles the browser client (src/main/web) into target/classes/META-INF/resources, where Quarkus serves it
// from the classpath of the gateway. Run by the Maven build (npm ci, then npm run build).
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';

const out = 'target/classes/META-INF/resources';
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
for (const file of ['index.html', 'app.css', 'favicon.svg']) {
  await cp(`src/main/web/${file}`, `${out}/${file}`);
}
await build({
  entryPoints: ['src/main/web/js/main.js'],
  bundle: true,
  format: 'esm',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  outfile: `${out}/app.js`,
  logLevel: 'warning',
});
console.log(`web-client: bundle written to ${out}`);
