/**
 * The DriverKit glue compiled on Linux (dext/stub-sdk/README.md): dext/stub-sdk/iig.mjs turns the three
 * .iig files into the headers iig would, and every dext/driverkit/*.cpp is compiled with -fsyntax-only
 * -Werror, freestanding as DriverKit is (no C++ library, no exceptions, no RTTI), against the stub SDK's
 * declarations of xnu's DriverKit classes and SerialDriverKit's IOUserSerial. A misspelled DriverKit call
 * or override must fail this compile; the last tests prove it does.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';
import { cxx, generateHeaders as generate, glueDir, iigFiles, sdkDir } from './stub-sdk.js';

const FLAGS = [
  '-std=c++17',
  '-fsyntax-only',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-nostdinc++',
  '-fno-exceptions',
  '-fno-rtti',
];

let work: string;

/** Compiles one translation unit (a file, or source text read from stdin in the glue's directory). */
function compile(generated: string, source: { file: string } | { text: string }) {
  const includes = ['-isystem', sdkDir, '-I', generated];
  return 'file' in source
    ? run(cxx, [...FLAGS, ...includes, source.file])
    : run(cxx, [...FLAGS, ...includes, '-x', 'c++', '-'], { cwd: glueDir, input: source.text });
}

describe('the DriverKit glue against the stub SDK', () => {
  let generated: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'catbridge-stub-sdk-'));
    generated = await generate(iigFiles(), join(work, 'generated'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const sources = readdirSync(glueDir).filter((f) => f.endsWith('.cpp'));

  it('finds the three classes', () => {
    expect(sources.sort()).toEqual([
      'CatbridgeDriver.cpp',
      'CatbridgeSerialPort.cpp',
      'CatbridgeUserClient.cpp',
    ]);
  });

  it.each(sources)('%s compiles with -Werror', async (file) => {
    const result = await compile(generated, { file: join(glueDir, file) });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('a misspelled kernel notification does not compile', async () => {
    const text = readFileSync(join(glueDir, 'CatbridgeSerialPort.cpp'), 'utf8');
    expect(text).toContain('RxDataAvailable();');
    const result = await compile(generated, {
      text: text.replace('RxDataAvailable();', 'RxDataAvailible();'),
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/RxDataAvailible/);
  });

  it('an IMPL whose parameters differ from the base method does not compile', async () => {
    const text = readFileSync(join(glueDir, 'CatbridgeSerialPort.cpp'), 'utf8');
    const wrongIig = readFileSync(join(glueDir, 'CatbridgeSerialPort.iig'), 'utf8').replace(
      'HwProgramMCR(bool dtr, bool rts)',
      'HwProgramMCR(uint32_t dtr, bool rts)',
    );
    const dir = join(work, 'wrong-params');
    const wrongFile = join(work, 'CatbridgeSerialPort.iig');
    writeFileSync(wrongFile, wrongIig);
    const others = iigFiles().filter((f) => !f.endsWith('CatbridgeSerialPort.iig'));
    await generate([...others, wrongFile], dir);
    const result = await compile(dir, { text });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/HwProgramMCR/);
  });

  it('an override of a method IOUserSerial does not have does not compile', async () => {
    const text = readFileSync(join(glueDir, 'CatbridgeSerialPort.cpp'), 'utf8').replaceAll(
      'HwProgramMCR',
      'HwProgramMRC',
    );
    const wrongIig = readFileSync(join(glueDir, 'CatbridgeSerialPort.iig'), 'utf8').replace(
      'HwProgramMCR',
      'HwProgramMRC',
    );
    const dir = join(work, 'misspelled-override');
    const wrongFile = join(work, 'misspelled', 'CatbridgeSerialPort.iig');
    mkdirSync(join(work, 'misspelled'));
    writeFileSync(wrongFile, wrongIig);
    const others = iigFiles().filter((f) => !f.endsWith('CatbridgeSerialPort.iig'));
    await generate([...others, wrongFile], dir);
    const result = await compile(dir, { text });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/HwProgramMRC.*(marked 'override'|does not override)/);
  });
});
