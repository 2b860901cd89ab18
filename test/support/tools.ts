import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** Whether an executable of this name is on PATH. */
export function hasTool(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const onCi = (): boolean => process.env.CI === 'true';

/**
 * For tests that need an external program (rigctld, rigctl, socat, …). Returns whether it is there, so
 * the caller can skip on a developer's machine; on CI (`CI=true`) a missing tool throws instead, so a
 * broken install step fails the run rather than silently skipping the tests that prove the feature.
 */
export function requireTool(name: string): boolean {
  if (hasTool(name)) return true;
  if (onCi())
    throw new Error(`required tool '${name}' is not on PATH (CI=true, so this is a failure, not a skip)`);
  return false;
}

/**
 * `describe` that runs only when every tool is on PATH. Missing locally: the suite is skipped (and says
 * why in its name). Missing on CI: the suite is replaced by one failing test naming the tools.
 */
export function describeWithTools(
  tools: readonly string[],
  name: string,
  fn: () => void,
  options: { retry?: number } = {},
): void {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length > 0 && onCi()) {
    describe(name, () => {
      it(`needs ${missing.join(', ')}`, () => {
        throw new Error(`required tools missing on CI: ${missing.join(', ')}`);
      });
    });
    return;
  }
  const label = missing.length > 0 ? `${name} (skipped: ${missing.join(', ')} not on PATH)` : name;
  describe.skipIf(missing.length > 0)(label, options, fn);
}
