// Decodes QR codes off the page's thread: on an old phone one jsQR pass over a 640-px frame takes
// tens of milliseconds, which on the main thread would make the page stutter while scanning.
// In: one frame's RGBA pixels (the buffer transferred, not copied). Out: the code's text, or null.
import jsQR from "jsqr";

export interface DecodeRequest {
  data: ArrayBuffer;
  width: number;
  height: number;
}

// The worker's global, typed by hand: the webworker lib would clash with the DOM lib the rest of
// the site is checked with.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(text: string | null): void;
};

scope.onmessage = (event: MessageEvent<DecodeRequest>) => {
  const { data, width, height } = event.data;
  const found = jsQR(new Uint8ClampedArray(data), width, height, { inversionAttempts: "dontInvert" });
  scope.postMessage(found?.data || null);
};
