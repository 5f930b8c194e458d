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
};
