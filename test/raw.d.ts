/** A file's text, by Vite's `?raw` import (the test pool runs through Vite). */
declare module "*?raw" {
  const text: string;
  export default text;
}
