/**
 * The dext's portable ring core, proven on the host (Linux in CI, macOS in .github/workflows/macos-dext.yml):
 * builds dext/tests with make (g++ or clang) and runs each binary, failing on a non-zero exit. The C++
 * side plays the kernel (KernelSim, research/dext.md §9) against PortCore on the SerialPortInterface
 * layout; see dext/tests/Makefile for what each binary is.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

const testsDir = fileURLToPath(new URL('../../dext/tests', import.meta.url));
const coreDir = fileURLToPath(new URL('../../dext/core', import.meta.url));
const buildDir = join(testsDir, 'build');

/** The summary line every host_tests binary prints last. */
function summary(output: string): { cases: number; failed: number } {
  const m = /host tests: (\d+) cases, \d+ checks, (\d+) failed/.exec(output);
  if (!m) throw new Error(`no summary line in:\n${output.slice(-2000)}`);
  return { cases: Number(m[1]), failed: Number(m[2]) };
}

async function expectPass(binary: string, args: string[]): Promise<string> {
  const result = await run(join(buildDir, binary), args);
  if (result.code !== 0)
    throw new Error(`${binary} exited ${result.code ?? result.signal}:\n${result.output}`);
  expect(summary(result.output).failed).toBe(0);
  return result.output;
}

describe('dext ring core on the host (KernelSim)', () => {
  beforeAll(async () => {
    const make = await run('make', ['-C', testsDir, '-j2', '--no-print-directory']);
    if (make.code !== 0) throw new Error(`building dext/tests failed:\n${make.output}`);
  }, 240_000);

  it('passes every case at -O2 with 10^6 fuzz steps', async () => {
    const output = await expectPass('host_tests', ['--fuzz-ops', '1000000']);
    expect(summary(output).cases).toBeGreaterThanOrEqual(14);
  }, 60_000);

  it('passes every case under AddressSanitizer and UndefinedBehaviorSanitizer', async () => {
    await expectPass('host_tests_san', [
      '--fuzz-ops',
      '250000',
      '--seed',
      '20261126',
      '--thread-bytes',
      '1000000',
    ]);
  }, 60_000);

  it('passes the two-thread case under ThreadSanitizer', async () => {
    await expectPass('host_tests_tsan', ['--thread-bytes', '1000000']);
  }, 60_000);

  // The deliberately wrong rings of public examples (research/dext.md §0.10) must be caught: a failing
  // run that exits 1 with its summary, not a crash and not a pass.
  it.each([
    ['host_tests_wrong_masked', 'stores masked indices'],
    ['host_tests_wrong_capacity', 'uses size, not size - 1'],
  ])(
    '%s (%s) fails the same tests',
    async (binary) => {
      const result = await run(join(buildDir, binary), ['--fuzz-ops', '100000']);
      expect(result.signal).toBeNull();
      expect(result.code).toBe(1);
      const { cases, failed } = summary(result.output);
      expect(failed).toBeGreaterThanOrEqual(5);
      expect(failed).toBeLessThan(cases);
      expect(result.output).toMatch(/FAIL counters_wrap_past_2_pow_32_over_a_megabyte/);
      expect(result.output).toMatch(/FAIL randomised_interleaving_against_a_reference_model/);
    },
    60_000,
  );

  it('the core builds freestanding and uses nothing DriverKit lacks', () => {
    expect(existsSync(join(buildDir, 'core_freestanding.o'))).toBe(true);
    for (const file of readdirSync(coreDir)) {
      const code = readFileSync(join(coreDir, file), 'utf8')
        .replace(/\/\/.*$/gm, '')
        .replace(/\/\*[\s\S]*?\*\//g, '');
      const includes = [...code.matchAll(/#include\s+[<"]([^>"]+)[>"]/g)].map((m) => m[1]);
      // Only the two C headers every freestanding compiler has, and the core's own headers.
      const foreign = includes.filter(
        (inc) => inc !== 'stddef.h' && inc !== 'stdint.h' && !existsSync(join(coreDir, inc ?? '')),
      );
      expect(foreign, file).toEqual([]);
      expect(code).not.toMatch(/\b(throw|try|catch|typeid|dynamic_cast|std::|new |delete )\b/);
    }
  });

  it('a SerialPortInterface whose layout drifted does not compile', async () => {
    const drifted = [
      `#include "${join(coreDir, 'spi_layout.hpp')}"`,
      'struct Drifted { unsigned rxPI, rxCI; unsigned pad[31]; unsigned txPI, txCI; unsigned pad2[29];',
      '  unsigned rxqoffset, txqoffset; unsigned char rxqlogsz, txqlogsz; unsigned char pad3[118]; };',
      'template struct catbridge::dext::SpiLayoutCheck<Drifted>;',
    ].join('\n');
    const cxx = process.env.CXX ?? 'g++';
    const result = await run(cxx, ['-std=c++17', '-fsyntax-only', '-x', 'c++', '-'], { input: drifted });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/SerialPortInterface\.txPI moved/);
  });
});
