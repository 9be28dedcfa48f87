/**
 * True in the Firefox build. The build replaces `import.meta.env.BROWSER` with the target's name,
 * so this folds to a constant there. Compared as a string on purpose: under Vitest the boolean
 * `import.meta.env.FIREFOX` becomes the string "false", which is truthy. A function, so a spec
 * can switch browsers with `vi.stubEnv('BROWSER', …)`.
 */
export const isFirefox = (): boolean => import.meta.env.BROWSER === 'firefox';
