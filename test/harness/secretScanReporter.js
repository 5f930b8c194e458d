/**
 * A jest reporter that fails the run when a test's captured console output or failure message
 * contains an auth token: the sandbox's fake one or the API doc's example. A token that shows up
 * in a log line here would show up in a user's n8n log too.
 */
class SecretScanReporter {
	constructor(_globalConfig, options = {}) {
		this.secrets = options.secrets ?? [];
		this.leaks = [];
	}

	onTestResult(_test, result) {
		const texts = [
			...(result.console ?? []).map((entry) => entry.message),
			result.failureMessage ?? '',
			...result.testResults.flatMap((test) => test.failureMessages),
		];
		for (const secret of this.secrets) {
			if (texts.some((text) => text.includes(secret))) this.leaks.push(result.testFilePath);
		}
	}

	onRunComplete() {
		if (this.leaks.length) process.stderr.write(`\nAuth token found in the output of: ${this.leaks.join(', ')}\n`);
	}

	getLastError() {
		return this.leaks.length ? new Error('An auth token appeared in test output') : undefined;
	}
}

module.exports = SecretScanReporter;
