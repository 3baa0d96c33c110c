/**
 * Declares the vitest tests of one ported CPython file on one backend. Each test runs under a
 * watchdog (run-scenario.ts); a test listed in known-failures.ts must fail, and fails the suite if it
 * passes (unittest's expectedFailure); a test listed in not-ported.ts for this backend is declared as
 * skipped with its reason in the title, so the run shows it.
 */
import { expect, it } from 'vitest';
import { type Backend, type CpythonFile, FILES } from './backends.js';
import { knownFailure } from './known-failures.js';
import { notPortedOn } from './not-ported.js';
import { runScenario } from './run-scenario.js';

/** What a port module exports (the shape of src/ported/*.mjs). */
export interface PortModule {
  classes: Record<
    string,
    { tests: Record<string, unknown>; timeoutMs?: number; backends?: readonly Backend[] }
  >;
}

/** How long a test may run before it counts as a hang. */
const DEFAULT_TIMEOUT_MS = 60_000;
/** A test known to hang is given less, so that the known hangs do not dominate the run. */
const KNOWN_HANG_TIMEOUT_MS = 6_000;

export async function defineSuite(file: CpythonFile, backend: Backend): Promise<void> {
  const moduleUrl = new URL(`./ported/${FILES[file].module}`, import.meta.url).href;
  const port = (await import(moduleUrl)) as PortModule;
  for (const [className, cls] of Object.entries(port.classes)) {
    for (const testName of Object.keys(cls.tests)) {
      const id = `${file}.${className}.${testName}`;
      const title = `${className}.${testName}`;
      const skipped = notPortedOn(id, backend);
      if (cls.backends && !cls.backends.includes(backend) && !skipped)
        throw new Error(`${id} does not run on ${backend}: say why in src/not-ported.ts`);
      if (skipped) {
        it.skip(`${title} — not ported on ${backend}: ${skipped}`, () => {});
        continue;
      }
      const known = knownFailure(id, backend);
      const timeoutMs = known?.hangs ? KNOWN_HANG_TIMEOUT_MS : (cls.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      it(
        title,
        async () => {
          const outcome = await runScenario(moduleUrl, className, testName, backend, timeoutMs);
          if (known) {
            if (outcome.ok)
              expect.fail(
                `${id} on ${backend} is listed as an expected failure (${known.reason}) but passed: remove it from src/known-failures.ts`,
              );
            return;
          }
          if (!outcome.ok) {
            const error = new Error(`${outcome.error.name}: ${outcome.error.message}`);
            if (outcome.error.stack) error.stack = `${error.message}\n${outcome.error.stack}`;
            throw error;
          }
        },
        timeoutMs + 10_000,
      );
    }
  }
}
