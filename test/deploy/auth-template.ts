import type { CfnTemplate } from './cloud-assembly';

/**
 * Test values for the deploy-time tokens of the auth stack, keyed by the token's JSON (e.g.
 * `{"Fn::GetAtt":["CdnDistribution…","DomainName"]}`) or by a pseudo parameter name (`AWS::Region`).
 */
export type TokenValues = Map<string, string>;

const key = (token: unknown) => JSON.stringify(token);

/**
 * Resolves `Fn::Base64` (to the text it would encode), `Fn::Join` and `Fn::Sub`; every other
 * intrinsic is a token that must have a test value. A token without one throws, so a new
 * deploy-time value in the user data is assigned one deliberately instead of being guessed.
 */
export function resolveWithTestValues(value: unknown, tokens: TokenValues): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`not a string expression: ${key(value)}`);
  const [name, arg] = Object.entries(value)[0] ?? [];
  switch (name) {
    case 'Fn::Base64':
      return resolveWithTestValues(arg, tokens);
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((part) => resolveWithTestValues(part, tokens)).join(separator);
    }
    case 'Fn::Sub': {
      if (typeof arg !== 'string') throw new Error(`Fn::Sub with variables is not modelled: ${key(value)}`);
      return arg.replace(/\$\{([^}!]+)\}/g, (_, ref: string) =>
        resolveWithTestValues(ref.includes('.') ? { 'Fn::GetAtt': ref.split('.') } : { Ref: ref }, tokens),
      );
    }
    case 'Ref': {
      const pseudo = tokens.get(String(arg));
      if (pseudo !== undefined) return pseudo;
      break;
    }
  }
  const known = tokens.get(key(value));
  if (known === undefined) throw new Error(`no test value for ${key(value)}`);
  return known;
}

/** The logical ids of a template's resources of one type (`AWS::CloudFront::Distribution`). */
export function logicalIdsOf(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}

/** The one resource of `type` in `template`, by logical id; throws when there is none or several. */
export function onlyLogicalIdOf(template: CfnTemplate, type: string): string {
  const ids = logicalIdsOf(template, type);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
}

/**
 * Resolves a value of another stack's template that imports from `exporter`: each
 * `Fn::ImportValue` becomes the exporter's output of that export name, resolved with `tokens`.
 */
export function resolveImports(value: unknown, exporter: CfnTemplate, tokens: TokenValues): string {
  const exports = new Map(
    Object.values(exporter.Outputs ?? {})
      .filter((output) => output.Export)
      .map((output) => [resolveWithTestValues(output.Export!.Name, tokens), output.Value]),
  );
  const withImports = new Map(tokens);
  const collect = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && 'Fn::ImportValue' in node) {
      const name = resolveWithTestValues((node as Record<string, unknown>)['Fn::ImportValue'], tokens);
      if (!exports.has(name)) throw new Error(`the exporting template has no export ${name}`);
      withImports.set(key(node), resolveWithTestValues(exports.get(name), tokens));
      return;
    }
    for (const child of Object.values(node)) collect(child);
  };
  collect(value);
  return resolveWithTestValues(value, withImports);
}
