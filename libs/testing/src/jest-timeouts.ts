// jest's testTimeout is global, not per project: set it by the test level in the file name.
const timeouts = { unit: 5_000, int: 60_000, e2e: 180_000 } as const;
const level = /\.(unit|int|e2e)\.spec\.ts$/.exec(expect.getState().testPath ?? '')?.[1] as keyof typeof timeouts | undefined;
jest.setTimeout(timeouts[level ?? 'unit']);
