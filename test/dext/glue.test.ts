/**
 * The DriverKit glue (dext/driverkit/*.cpp, as shipped) run on Linux: compiled against the stub SDK's
 * headers, as iig.mjs generates them, and linked with a fake DriverKit runtime and kernel
 * (fixtures/driverkit_runtime.cc) whose behaviour where it matters follows xnu: SetProperties from a dext
 * may land in IOUserServiceProperties, an answer without an OSData leaves the caller's size alone, the
 * dispatch table's counts are enforced. fixtures/glue_scenarios.cc drives it as the kernel and Node
 * would: ports created through the user client (names, registry ID, the names fallback), counted empty
 * answers, bytes both ways through the rings, the doorbell, refused queues handed back, and the serial
 * family missing. Built with AddressSanitizer and UndefinedBehaviorSanitizer.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';
import { cxx, dextDir, generateHeaders, glueDir, iigFiles, sdkDir } from './stub-sdk.js';

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));

describe('the DriverKit glue on a fake DriverKit runtime', () => {
  let work: string;
  let binary: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'catbridge-dext-glue-'));
    const generated = await generateHeaders(iigFiles(), join(work, 'generated'));
    binary = join(work, 'glue_scenarios');
    const glue = readdirSync(glueDir)
      .filter((f) => f.endsWith('.cpp'))
      .map((f) => join(glueDir, f));
    const build = await run(cxx, [
      '-std=c++17',
      '-O0',
      '-g',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-fsanitize=address,undefined',
      '-fno-sanitize-recover=all',
      '-isystem',
      sdkDir,
      '-I',
      generated,
      '-I',
      fixtures,
      '-I',
      join(dextDir, 'core'),
      '-o',
      binary,
      ...glue,
      join(fixtures, 'driverkit_runtime.cc'),
      join(fixtures, 'glue_scenarios.cc'),
    ]);
    if (build.code !== 0) throw new Error(`building the glue scenarios failed:\n${build.output}`);
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('passes every scenario', async () => {
    // Out-parameters the kernel owns are never released by the glue: leaks are expected, not errors.
    const result = await run(binary, [], { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
    const summary = /glue scenarios: (\d+) checks, (\d+) failed/.exec(result.output);
    expect(summary, result.output).not.toBeNull();
    expect(result.output).not.toMatch(/^FAIL/m);
    expect(Number(summary![2])).toBe(0);
    expect(Number(summary![1])).toBeGreaterThanOrEqual(50);
    expect(result.code).toBe(0);
  });
});
