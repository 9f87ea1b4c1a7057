// Builds the base-image fixtures once per machine before the test files run (they share them).
import { ensureFixtures, fixturesDir } from './fixtures.ts';

await ensureFixtures();
console.log(`fixtures ready in ${fixturesDir()}`);
