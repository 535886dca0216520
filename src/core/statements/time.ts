// RFC 3339 times live in encoding/time.ts (the key file in crypto reads them too); re-exported
// here for the statement layers that always imported them from statements/.
export * from '../encoding/time.ts';
