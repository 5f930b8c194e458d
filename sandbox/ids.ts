import { randomBytes } from 'node:crypto';

/** Source of new identifiers: seeded for reproducible runs, crypto-random otherwise. */
export interface IdSource {
	hex(length: number): string;
	digits(length: number): string;
}

/** mulberry32: tiny, fast and good enough for ids that only need to be unique and repeatable. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function fromUnitRandom(next: () => number): IdSource {
	const pick = (alphabet: string, length: number) => {
		let out = '';
		for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
		return out;
	};
	return {
		hex: (length) => pick('0123456789abcdef', length),
		digits: (length) => pick('0123456789', length),
	};
}

export function seededIds(seed: number): IdSource {
	return fromUnitRandom(mulberry32(seed));
}

export function randomIds(): IdSource {
	return fromUnitRandom(() => randomBytes(4).readUInt32BE(0) / 4294967296);
}
