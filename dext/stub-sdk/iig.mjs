#!/usr/bin/env node
/**
 * A stand-in for Apple's iig, enough to compile dext/driverkit/*.cpp on Linux against the stub SDK
 * (dext/stub-sdk/README.md). For each .iig it writes the header iig would: the .iig includes become .h
 * includes, and each class gets what the generated code gives it —
 *   * `typedef <Base> super;` and a static `_Dispatch`, which SUPERDISPATCH names;
 *   * `struct <Class>_IVars* ivars;`;
 *   * for every `override` of a remote method (one whose declaring class defines <Decl>_<Method>_Args in
 *     the stub SDK): `<Method>_Impl(<Decl>_<Method>_Args)` in place of the declaration, the macro
 *     `<Class>_<Method>_Args` from the .iig's own parameters (so IMPL(Class, Method) in the .cpp must
 *     match the base's parameters), and a pointer-to-member check that the return type and parameters
 *     are the base's;
 *   * every other declaration as written (LOCALONLY and local overrides such as init, free and
 *     ExternalMethod are plain virtuals: the compiler checks `override`).
 * Like iig it refuses a new remote method it cannot generate, and an `override` that names no remote
 * method of the base chain falls through to the compiler, which rejects it.
 *
 *   node dext/stub-sdk/iig.mjs --sdk <dir> [--sdk <dir>…] --out <dir> file.iig…
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

function parseArgs(argv) {
  const sdk = [];
  const files = [];
  let out;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sdk') sdk.push(argv[++i]);
    else if (argv[i] === '--out') out = argv[++i];
    else files.push(argv[i]);
  }
  if (!out || sdk.length === 0 || files.length === 0) {
    throw new Error('usage: iig.mjs --sdk <dir> --out <dir> file.iig…');
  }
  return { sdk, out, files };
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

/** Every class's base, and every remote method (`<Class>_<Method>_Args`), in the SDK and the inputs. */
function indexSdk(dirs, iigTexts) {
  const bases = new Map();
  const remote = new Set();
  const texts = dirs.flatMap((dir) =>
    walk(dir)
      .filter((f) => f.endsWith('.h'))
      .map((f) => readFileSync(f, 'utf8')),
  );
  for (const text of [...texts, ...iigTexts].map(stripComments)) {
    for (const m of text.matchAll(/\bclass\s+(\w+)\s*(?:final\s*)?:\s*public\s+(\w+)/g))
      bases.set(m[1], m[2]);
    for (const m of text.matchAll(/#define\s+([A-Za-z0-9]+)_([A-Za-z0-9]+)_Args\b/g))
      remote.add(`${m[1]}.${m[2]}`);
  }
  return { bases, remote };
}

/** The class up the chain from `base` that declares `method` as a remote method, if any. */
function remoteDeclarer(index, base, method) {
  for (let cls = base; cls; cls = index.bases.get(cls)) {
    if (index.remote.has(`${cls}.${method}`)) return cls;
  }
  return undefined;
}

/** Splits a class body into statements at top-level `;`, keeping access specifiers as their own items. */
function statements(body) {
  const out = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    current += ch;
    if (ch === ';' && depth === 0) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) throw new Error(`iig: unterminated declaration: ${current.trim()}`);
  return out.flatMap((s) => {
    const access = /^((?:(?:public|protected|private)\s*:\s*)+)([\s\S]*)$/.exec(s);
    return access ? [...access[1].match(/(public|protected|private)\s*:/g), access[2]] : [s];
  });
}

const METHOD =
  /^(virtual\s+)?([\w\s*&:<>]+?)\s*\b(\w+)\s*\(([\s\S]*)\)\s*((?:const|override|LOCALONLY|LOCAL)\s*)*$/;

function generateClass(index, name, base, body) {
  const lines = [
    'public:',
    `    typedef ${base} super;`,
    `    static kern_return_t _Dispatch(${name}* self, const IORPC rpc);`,
    `    struct ${name}_IVars* ivars;`,
  ];
  const defines = [];
  const checks = [];
  for (const statement of statements(body)) {
    if (/^(public|protected|private):$/.test(statement)) {
      lines.push(statement);
      continue;
    }
    const text = statement.replace(/;$/, '').replace(/\s+/g, ' ').trim();
    const m = METHOD.exec(text);
    if (!m) {
      lines.push(`    ${text};`);
      continue;
    }
    const [, , returnType, method, params] = m;
    const attrs = text.slice(text.lastIndexOf(')') + 1);
    const isOverride = /\boverride\b/.test(attrs);
    const localOnly = /\bLOCALONLY\b/.test(attrs);
    const declarer = isOverride ? remoteDeclarer(index, base, method) : undefined;
    if (declarer) {
      defines.push(`#define ${name}_${method}_Args ${params.trim()}`);
      lines.push(`    ${returnType.trim()} ${method}_Impl(${declarer}_${method}_Args);`);
      const types = params.trim() === '' ? 'OSDispatchMethod' : `${params.trim()}, OSDispatchMethod`;
      checks.push(
        `[[maybe_unused]] static constexpr ${returnType.trim()} (${declarer}::*_iig_${name}_${method})(${types}) = &${declarer}::${method};`,
      );
    } else if (!isOverride && !localOnly && /\bvirtual\b/.test(text)) {
      throw new Error(
        `iig: ${name}::${method} is a new remote method; the stand-in generates only overrides`,
      );
    } else {
      lines.push(`    ${text};`);
    }
  }
  return { classBody: lines.join('\n'), defines, checks };
}

function generate(index, file) {
  const source = stripComments(readFileSync(file, 'utf8'));
  const classRe = /\bclass\s+(\w+)\s*:\s*public\s+(\w+)\s*\{([\s\S]*?)\n\};/g;
  let out = source.replace(/#include\s+([<"])([^>"]+)\.iig([>"])/g, '#include $1$2.h$3');
  out = out.replace(classRe, (_all, name, base, body) => {
    const { classBody, defines, checks } = generateClass(index, name, base, body);
    return [
      `struct ${name}_IVars;`,
      ...defines,
      `class ${name} : public ${base}\n{\n${classBody}\n};`,
      ...checks,
    ].join('\n');
  });
  return `// Generated by dext/stub-sdk/iig.mjs from ${basename(file)} for the Linux stub-SDK compile check.\n${out}`;
}

const { sdk, out, files } = parseArgs(process.argv.slice(2));
const index = indexSdk(
  sdk,
  files.map((f) => readFileSync(f, 'utf8')),
);
mkdirSync(out, { recursive: true });
for (const file of files) {
  writeFileSync(join(out, basename(file).replace(/\.iig$/, '.h')), generate(index, file));
}
