/*
 * Which part of the database an operation sees (see partition.ts), in a module of its own with no
 * imports: front-end code that only names a scope does not load the store and its schemas.
 */

/**
 * One holder's (their userID: the holder, if they exist, with their records, and everything that
 * belongs to no holder), or all of it (undefined). A scoped operation costs the same whatever the
 * number of holders; it must not look for other holders (they are not there) nor create records
 * for them (refused).
 */
export type Scope = string | undefined;

/** The scope of an operation on what belongs to no holder (counters, settings, coupons): no holder document is read. */
export const NO_HOLDER = '';
