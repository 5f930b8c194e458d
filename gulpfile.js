/* Builds dist/: compile with tsc, bundle each entry n8n loads, copy icons and codex files. */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { dest, parallel, series, src } = require('gulp');

const pkg = require('./package.json');

// Inside node_modules so that neither git nor the linter sees the intermediate JavaScript.
const COMPILED = 'node_modules/.cache/n8n-nodes-ucpaas/tsc';
const VENDOR_XML = 'dist/vendor/fast-xml-parser.js';

function clean(done) {
	fs.rmSync('dist', { recursive: true, force: true });
	fs.rmSync(COMPILED, { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
	done();
}

/**
 * n8n forbids runtime dependencies, so fast-xml-parser ships inside dist. It is bundled once,
 * into dist/vendor, and every entry that needs it requires that file by a relative path
 * (bundling it into each entry would triple the package).
 */
function vendorXmlParser(outfile) {
	return {
		name: 'vendor-fast-xml-parser',
		setup(build) {
			build.onResolve({ filter: /^fast-xml-parser$/ }, () => {
				let relative = path.relative(path.dirname(outfile), VENDOR_XML).split(path.sep).join('/');
				if (!relative.startsWith('.')) relative = `./${relative}`;
				return { path: relative, external: true };
			});
		},
	};
}

async function bundle() {
	const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', legalComments: 'inline' };
	await esbuild.build({ ...common, entryPoints: [require.resolve('fast-xml-parser')], outfile: VENDOR_XML });
	await Promise.all(
		entries.map((outfile) =>
			esbuild.build({
				...common,
				entryPoints: [path.join(COMPILED, path.relative('dist', outfile))],
				outfile,
				// n8n provides n8n-workflow; a second copy would break `instanceof NodeApiError`.
				external: ['n8n-workflow'],
				plugins: [vendorXmlParser(outfile)],
			}),
		),
	);
}

function icons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

function codex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports.clean = clean;
exports.build = series(clean, compile, parallel(bundle, icons, codex));
exports.default = exports.build;
