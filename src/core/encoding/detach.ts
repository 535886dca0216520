// V8 keeps a substring as a view of its parent string, so a short field read out of a
// long payload pins the whole payload for as long as the field lives. Anything the
// verifiers keep beyond one entry (report rows, lens records) is detached first.

/** A copy of a string that shares no storage with the string it was sliced from. */
export function own(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string); // V8 copies substrings under 13 chars
}

/** A deep copy of JSON data with every string detached. */
export function detach<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
