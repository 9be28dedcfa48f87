/** A systemd unit file as `[section] → [key, value][]`, keys in file order (repeatable keys repeat). */
export type UnitFile = Record<string, [string, string][]>;

/** Parses a systemd unit file (comments, sections, `Key=Value`; no line continuations are used). */
export function parseUnitFile(text: string): UnitFile {
  const unit: UnitFile = {};
  let section: [string, string][] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = unit[header[1]!] ??= [];
      continue;
    }
    const equals = line.indexOf('=');
    if (!section || equals < 0) throw new Error(`not a unit file line: ${line}`);
    section.push([line.slice(0, equals).trim(), line.slice(equals + 1).trim()]);
  }
  return unit;
}

/** Every value of `key` in `section`, in file order. */
export const unitValues = (unit: UnitFile, section: string, key: string): string[] =>
  (unit[section] ?? []).filter(([name]) => name === key).map(([, value]) => value);
