import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** A `cdk deploy --outputs-file` JSON: each stack's outputs by output name. */
export type StackOutputs = Record<string, Record<string, unknown>>;

/** The outputs file is unusable; the message says what is wrong and what to pass instead. */
export class StackOutputsError extends Error {
  override name = 'StackOutputsError';
}

const stackOutputsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** `value` as the outputs of a set of stacks; `source` names it in the error, e.g. the file. */
export function asStackOutputs(value: unknown, source = 'the outputs file'): StackOutputs {
  const parsed = stackOutputsSchema.safeParse(value);
  if (!parsed.success) {
    throw new StackOutputsError(
      `${source} is not a JSON object of stacks; pass the file written by \`cdk deploy --all --outputs-file <file>\``,
    );
  }
  return parsed.data;
}

/** Reads and checks an outputs file; errors name the file, and for a missing one how to write it. */
export async function readStackOutputs(file: string): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StackOutputsError(
      code === 'ENOENT'
        ? `${file} does not exist: deploy with \`npm run deploy\`, which writes cdk-outputs.json, or pass the file given to --outputs-file`
        : `cannot read ${file}: ${code ?? (error as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StackOutputsError(`${file} is not valid JSON; pass the file written by \`cdk deploy --outputs-file\``);
  }
  return asStackOutputs(value, file);
}

/**
 * The string output `name` of whichever stack has it; undefined when none does. Outputs carry
 * no deployment prefix, so the same name in two stacks means two deployments share the file,
 * and picking one could pair one deployment's bucket with another's table.
 */
export function stackOutput(outputs: StackOutputs, name: string): string | undefined {
  const found = Object.entries(outputs).flatMap(([stack, values]) =>
    typeof values[name] === 'string' ? [[stack, values[name]] as const] : [],
  );
  if (found.length > 1) {
    const stacks = found.map(([stack]) => stack).join(', ');
    throw new StackOutputsError(
      `the outputs file holds ${found.length} values of ${name} (stacks ${stacks}); keep one deployment per outputs file`,
    );
  }
  return found[0]?.[1];
}

/**
 * A `catch` handler that rethrows a `StackOutputsError` as the caller's own error type (which its
 * command turns into a usage failure), keeping the message; other errors pass through.
 */
export function rethrowAs(ErrorType: new (message: string, options?: ErrorOptions) => Error): (error: unknown) => never {
  return (error) => {
    throw error instanceof StackOutputsError ? new ErrorType(error.message, { cause: error }) : error;
  };
}
