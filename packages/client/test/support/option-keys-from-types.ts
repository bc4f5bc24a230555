import { dirname, join } from 'node:path';
import ts from 'typescript';

/** One object parameter of a command method, and the property names its type declares. */
export interface OptionParameter {
  readonly index: number;
  readonly keys: readonly string[];
  /** Properties that are objects of that kind themselves (`LIMIT: { offset, count }`), one level down. */
  readonly nested?: Readonly<Record<string, readonly string[]>>;
}

const CLIENT_ROOT = join(import.meta.dirname, '..', '..');
const NOT_OPTIONS = new Set([
  'Buffer',
  'Uint8Array',
  'ArrayBuffer',
  'Map',
  'Set',
  'Date',
  'RegExp',
  'Promise',
]);

/**
 * Reads, with the TypeScript compiler, every `COMMANDS` method's parameters and keeps those whose
 * type (`undefined` aside) is an object type with declared properties and no index signature —
 * an options object such as `SetOptions`, or a member such as `{ score, value }` — with the names
 * it declares (inherited ones included). Arrays, byte arrays, records and unions with anything
 * but such objects are left out: their keys are data, or they are not objects.
 */
export function optionParametersFromTypes(): Map<string, OptionParameter[]> {
  const result = new Map<string, OptionParameter[]>();
  for (const { name, signature, checker, at } of buildSignatures()) {
    const found: OptionParameter[] = [];
    parameterTypes(checker, signature, at).forEach((type, index) => {
      const keys = declaredKeys(checker, type);
      if (keys === undefined) return;
      const nested: Record<string, readonly string[]> = {};
      for (const [key, property] of keys) {
        const inner = property === undefined ? undefined : declaredKeys(checker, property);
        if (inner !== undefined) nested[key] = [...inner.keys()];
      }
      const names = [...keys.keys()];
      found.push(Object.keys(nested).length === 0 ? { index, keys: names } : { index, keys: names, nested });
    });
    if (found.length > 0) result.set(name, found);
  }
  return result;
}

/**
 * For every `COMMANDS` method whose parameters are a fixed list (no variadic rest), how many
 * arguments it takes at most: one more is an argument the build would never read.
 */
export function maxArgumentsFromTypes(): Map<string, number> {
  const result = new Map<string, number>();
  for (const { name, signature, checker, at } of buildSignatures()) {
    const count = maxArguments(checker, signature, at);
    if (count !== undefined) result.set(name, count);
  }
  return result;
}

interface BuildSignature {
  readonly name: string;
  readonly signature: ts.Signature;
  readonly checker: ts.TypeChecker;
  readonly at: ts.Node;
}

let signatures: BuildSignature[] | undefined;

/** Each `COMMANDS` entry's `build` signature, read once per process with the TypeScript compiler. */
function buildSignatures(): BuildSignature[] {
  if (signatures !== undefined) return signatures;
  const configPath = join(CLIENT_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  const entry = join(CLIENT_ROOT, 'src', 'commands', 'index.ts');
  const program = ts.createProgram([entry], parsed.options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (source === undefined) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const commands =
    moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === 'COMMANDS');
  if (commands === undefined) throw new Error('COMMANDS not found');
  const table = checker.getTypeOfSymbolAtLocation(commands, source);
  signatures = [];
  for (const command of checker.getPropertiesOfType(table)) {
    const spec = checker.getTypeOfSymbolAtLocation(command, source);
    const build = spec.getProperty('build');
    if (build === undefined) continue;
    const signature = checker.getTypeOfSymbolAtLocation(build, source).getCallSignatures()[0];
    if (signature === undefined) continue;
    signatures.push({ name: command.name, signature, checker, at: source });
  }
  return signatures;
}

/** The most arguments `signature` takes, or undefined when a rest parameter takes any number. */
function maxArguments(checker: ts.TypeChecker, signature: ts.Signature, at: ts.Node): number | undefined {
  let count = 0;
  for (const parameter of signature.getParameters()) {
    const declaration = parameter.valueDeclaration;
    const rest = declaration !== undefined && ts.isParameter(declaration) && declaration.dotDotDotToken;
    if (!rest) {
      count++;
      continue;
    }
    const type = checker.getTypeOfSymbolAtLocation(parameter, at);
    if (!checker.isTupleType(type)) return undefined;
    const target = (type as ts.TypeReference).target as ts.TupleType;
    for (const flags of target.elementFlags) {
      if (flags & ts.ElementFlags.Variable) return undefined;
      count++;
    }
  }
  return count;
}

/** The parameters' types in order; a rest parameter typed as a tuple counts as its elements. */
function parameterTypes(checker: ts.TypeChecker, signature: ts.Signature, at: ts.Node): ts.Type[] {
  const types: ts.Type[] = [];
  for (const parameter of signature.getParameters()) {
    const type = checker.getTypeOfSymbolAtLocation(parameter, at);
    const declaration = parameter.valueDeclaration;
    const rest = declaration !== undefined && ts.isParameter(declaration) && declaration.dotDotDotToken;
    if (!rest) {
      types.push(type);
      continue;
    }
    if (!checker.isTupleType(type)) break; // a variadic list: data, not options
    const target = (type as ts.TypeReference).target as ts.TupleType;
    const elements = checker.getTypeArguments(type as ts.TypeReference);
    for (let i = 0; i < elements.length; i++) {
      if ((target.elementFlags[i] ?? 0) & ts.ElementFlags.Variable) break;
      types.push(elements[i] as ts.Type);
    }
  }
  return types;
}

/**
 * The declared property names of an options-like type, sorted, each with its own type (`undefined`
 * when the union's members declare it with different types); undefined when it is not one.
 */
function declaredKeys(checker: ts.TypeChecker, type: ts.Type): Map<string, ts.Type | undefined> | undefined {
  const parts = (type.isUnion() ? type.types : [type]).filter(
    (t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0,
  );
  if (parts.length === 0) return undefined;
  const keys = new Map<string, ts.Type | undefined>();
  for (const part of parts) {
    if ((part.flags & ts.TypeFlags.Object) === 0) return undefined;
    if (checker.isArrayLikeType(part) || part.getCallSignatures().length > 0) return undefined;
    if (NOT_OPTIONS.has(part.getSymbol()?.name ?? '')) return undefined;
    if (checker.getIndexInfosOfType(part).length > 0) return undefined;
    const properties = checker.getPropertiesOfType(part);
    if (properties.length === 0) return undefined;
    for (const property of properties) {
      const propertyType = checker.getTypeOfSymbol(property);
      keys.set(
        property.name,
        keys.has(property.name) && keys.get(property.name) !== propertyType ? undefined : propertyType,
      );
    }
  }
  return new Map([...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
