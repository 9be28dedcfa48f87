/**
 * `playlists` → `Playlists`: a camelCase name (a table id, a function name) as the start of a
 * construct id or output name, which read PascalCase in templates and the console.
 */
export function pascalCase(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
