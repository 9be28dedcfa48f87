/** Builds an UpdateItem expression from plain objects, with placeholder names for every attribute. */
export function updateExpression(parts: {
  set?: Record<string, unknown>;
  /** Written only when the attribute does not exist yet. */
  setIfMissing?: Record<string, unknown>;
  /** Atomic numeric increments. */
  add?: Record<string, number>;
}) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let n = 0;
  const placeholder = (name: string, value: unknown) => {
    const i = n++;
    names[`#a${i}`] = name;
    values[`:v${i}`] = value;
    return [`#a${i}`, `:v${i}`] as const;
  };
  const sets = [
    ...Object.entries(parts.set ?? {}).map(([k, v]) => {
      const [name, value] = placeholder(k, v);
      return `${name} = ${value}`;
    }),
    ...Object.entries(parts.setIfMissing ?? {}).map(([k, v]) => {
      const [name, value] = placeholder(k, v);
      return `${name} = if_not_exists(${name}, ${value})`;
    }),
  ];
  const adds = Object.entries(parts.add ?? {}).map(([k, v]) => {
    const [name, value] = placeholder(k, v);
    return `${name} ${value}`;
  });
  const clauses = [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : ''];
  return {
    UpdateExpression: clauses.filter(Boolean).join(' '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
