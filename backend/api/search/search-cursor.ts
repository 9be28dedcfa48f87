import * as z from 'zod/mini';
import '../../domain/zod-messages';
import { decodeCursor, encodeCursor } from '../../domain/cursor';

/** Search pages are offsets; the cursor hides that so it can change without breaking clients. */
const searchCursor = z.strictObject({ o: z.number().check(z.int(), z.minimum(0), z.maximum(10_000)) });

export const encodeSearchCursor = (offset: number) => encodeCursor({ o: offset });

export const decodeSearchCursor = (cursor: string | undefined): number => (cursor === undefined ? 0 : decodeCursor(cursor, searchCursor).o);
