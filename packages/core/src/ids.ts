const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Platform ids are UUIDs; anything else in a URL cannot name a row (and must not reach a uuid column). */
export const isPlatformId = (value: string) => UUID.test(value);
