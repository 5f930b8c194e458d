/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// ts-jest type-checks each file in isolation; the build runs the full tsc check.
	transform: { '^.+\\.ts$': ['ts-jest', {}] },
	setupFilesAfterEnv: ['<rootDir>/test/harness/engineTeardown.ts'],
	testTimeout: 20000,
	// Buffered console output (not verbose) is what the secret scan below reads.
	verbose: false,
	reporters: [
		'default',
		// The sandbox's fake token and the API doc's example token: neither may ever be printed.
		['<rootDir>/test/harness/secretScanReporter.js', { secrets: ['0f1e2d3c4b5a69788796a5b4c3d2e1f0', '0123456789abcdef0123456789abcdef'] }],
	],
};
