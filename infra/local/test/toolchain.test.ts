import { describe, expect, it } from 'vitest';
import { findGo, parseGoVersion } from '../src/toolchain.ts';

describe('parseGoVersion', () => {
  it.each([
    ['go version go1.26.8 linux/amd64', { major: 1, minor: 26 }],
    ['go version go1.24rc1 darwin/arm64', { major: 1, minor: 24 }],
    ['go version go1.19.8 linux/amd64', { major: 1, minor: 19 }],
    ['go version devel +abc linux/amd64', undefined],
  ])('%s', (output, expected) => {
    expect(parseGoVersion(output)).toEqual(expected);
  });
});

describe('findGo', () => {
  it('says what to install when there is no Go', async () => {
    const err = await findGo({ pathVar: '', fallbackDirs: [] }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain('Go >= 1.24');
    expect(message).toContain('https://go.dev/dl');
    expect(message).toContain('docker compose up -d mongo');
    expect(message).toContain('MONGODB_URI');
  });
});
