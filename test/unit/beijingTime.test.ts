import { beijingToIso } from '../../nodes/shared/beijingTime';

describe('beijingToIso', () => {
	test.each([
		['20170830144344', '2017-08-30T14:43:44+08:00'],
		[20170830144344, '2017-08-30T14:43:44+08:00'],
		[' 20140623184315 ', '2014-06-23T18:43:15+08:00'],
		['2024-02-29 23:59:59', '2024-02-29T23:59:59+08:00'],
	])('%p → %s', (input, expected) => {
		expect(beijingToIso(input)).toBe(expected);
	});

	test.each([['2023-02-29 00:00:00'], ['20241301000000'], ['20240101246000'], ['2024010112'], [''], [null], [{}], ['abc']])(
		'refuses %p',
		(input) => {
			expect(beijingToIso(input)).toBeUndefined();
		},
	);
});
