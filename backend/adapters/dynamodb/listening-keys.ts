/*
 * Keys of the listening table (layout in `tables.ts`) that both its writer, the listening API's
 * repository, and its reader, the home feed's, address.
 */

/** Partition of the listeners whose home feed is to be rebuilt. */
export const CHANGED_PK = 'changed';

/** A listener's partition: their plays, likes, counts and settings. */
export const userPk = (userId: string) => `user#${userId}`;

/** The listener's mark in `CHANGED_PK`: set by every change of theirs, deleted once their feed is rebuilt. */
export const changedKey = (userId: string) => ({ pk: CHANGED_PK, sk: userPk(userId) });

/** The partition of one UTC day's play counts of all listeners, `YYYY-MM-DD`. */
export const dayPk = (day: string) => `day#${day}`;
