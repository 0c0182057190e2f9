import { useEffect, useRef, useState } from "react";
import { useT } from "../lib/i18n";
import { Alert } from "./error-notice";

/** Frames are scaled down to this width before decoding: enough for a code on a phone held up. */
const DECODE_WIDTH = 640;
/** Time between two decoding attempts. */
const SCAN_EVERY_MS = 150;
/** A frame the worker has not decoded by then (a pass takes tens of milliseconds) means it is stuck. */
const DECODE_PATIENCE_MS = 3_000;
/** After a code the caller does not take (not a check-in code), look again after this long. */
const AFTER_REFUSED_MS = 1_000;

type Problem = "denied" | "unavailable" | "insecure" | "reload";

/** Finds the QR code in one frame: its text, or null. */
interface Decoder {
  decode(frame: ImageData): Promise<string | null>;
  close(): void;
}

/**
 * Decoding in a Web Worker (web/lib/qr-decode.worker.ts), the frame's pixels handed over, not
 * copied; null when the browser cannot start one. A worker that fails to load (e.g. the site was
 * updated under the page) or crashes rejects the decode under way and every one after.
 */
function workerDecoder(): Decoder | null {
  let worker: Worker;
  try {
    worker = new Worker(new URL("../lib/qr-decode.worker.ts", import.meta.url), { type: "module" });
  } catch {
    return null;
  }
  let broken = false;
  let pending: { resolve: (text: string | null) => void; reject: (error: Error) => void } | null = null;
  worker.onmessage = (event: MessageEvent<string | null>) => {
    pending?.resolve(event.data);
    pending = null;
  };
  worker.onerror = (event) => {
    event.preventDefault();
    broken = true;
    pending?.reject(new Error("The QR decoder stopped"));
    pending = null;
  };
  return {
    decode: (frame) =>
      new Promise((resolve, reject) => {
        if (broken) return reject(new Error("The QR decoder stopped"));
        // A worker that never answers (stalled, or its script never ran) is given up on, so the
        // page takes over instead of scanning silently stopping.
        const watchdog = setTimeout(() => {
          broken = true;
          pending = null;
          reject(new Error("The QR decoder did not answer"));
        }, DECODE_PATIENCE_MS);
        pending = {
          resolve: (text) => {
            clearTimeout(watchdog);
            resolve(text);
          },
          reject: (error) => {
            clearTimeout(watchdog);
            reject(error);
          },
        };
        const { data, width, height } = frame;
        worker.postMessage({ data: data.buffer, width, height }, [data.buffer]);
      }),
    close: () => worker.terminate(),
  };
}

/** Decoding on the page's own thread, where a worker is not to be had. */
async function pageDecoder(): Promise<Decoder> {
  const jsQR = (await import("jsqr")).default;
  return {
    decode: async ({ data, width, height }) =>
      jsQR(data, width, height, { inversionAttempts: "dontInvert" })?.data || null,
    close: () => {},
  };
}

const PROBLEM_TEXT = {
  denied: "scanner.denied",
  unavailable: "scanner.unavailable",
  insecure: "scanner.insecure",
  reload: "scanner.reload",
} as const;

/**
 * Reads a QR code with the device's camera (the back one on a phone): shows what the camera sees
 * and decodes frames with jsQR (loaded only when scanning starts, in a Web Worker where the
 * browser allows) until `onText` takes a code's text (returns true) — then the camera is switched
 * off. A code it does not take is looked past.
 * Without a camera, when access is refused or the camera drops out, it says so and switches the
 * camera off; typing the code stays possible beside it.
 */
export function QrScanner({ onText, onClose }: { onText: (text: string) => boolean; onClose: () => void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [ready, setReady] = useState(false);
  // The latest callback, without restarting the camera when the caller's function changes.
  const report = useRef(onText);
  report.current = onText;

  useEffect(() => {
    heading.current?.focus();
    let stopped = false;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let decoder: Decoder | null = null;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      decoder?.close();
      for (const track of stream?.getTracks() ?? []) track.stop();
      if (video.current) video.current.srcObject = null;
    };
    const fail = (why: Problem) => {
      if (stopped) return;
      stop();
      setProblem(why);
    };
    /** The page's own decoder, or null (and the reader told to reload) when its code cannot load. */
    const inPage = async () => {
      try {
        return await pageDecoder();
      } catch {
        // The page is older than the site (a new version replaced its files): a reload fixes it.
        fail("reload");
        return null;
      }
    };
    (async () => {
      if (!window.isSecureContext) return fail("insecure");
      if (!navigator.mediaDevices?.getUserMedia) return fail("unavailable");
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        return fail(error instanceof DOMException && error.name === "NotAllowedError" ? "denied" : "unavailable");
      }
      const element = video.current;
      if (stopped || !element) return stop();
      // A phone call or another app can take the camera away.
      for (const track of stream.getTracks()) track.addEventListener("ended", () => fail("unavailable"));
      decoder = workerDecoder() ?? (await inPage());
      if (!decoder || stopped) return stop();
      element.srcObject = stream;
      await element.play();
      if (stopped) return;
      setReady(true);
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      if (!context) return fail("unavailable");
      const scan = async () => {
        if (stopped || !decoder) return;
        let found: string | null = null;
        try {
          if (element.videoWidth > 0) {
            const scale = Math.min(1, DECODE_WIDTH / element.videoWidth);
            canvas.width = Math.round(element.videoWidth * scale);
            canvas.height = Math.round(element.videoHeight * scale);
            context.drawImage(element, 0, 0, canvas.width, canvas.height);
            const frame = context.getImageData(0, 0, canvas.width, canvas.height);
            try {
              found = await decoder.decode(frame);
            } catch {
              // The worker is gone: go on decoding in the page (this frame is lost to it).
              decoder.close();
              decoder = await inPage();
            }
          }
        } catch {
          return fail("unavailable");
        }
        if (stopped) return;
        if (found) {
          if (report.current(found)) return stop();
          timer = setTimeout(scan, AFTER_REFUSED_MS);
          return;
        }
        timer = setTimeout(scan, SCAN_EVERY_MS);
      };
      void scan();
    })().catch(() => fail("unavailable"));
    return stop;
  }, []);

  return (
    <section className="card stack scanner" aria-labelledby="scanner-title">
      <h2 id="scanner-title" ref={heading} tabIndex={-1}>
        {t("scanner.title")}
      </h2>
      {problem ? (
        <Alert title={t(PROBLEM_TEXT[problem])} />
      ) : (
        <>
          <p role="status">{t(ready ? "scanner.aim" : "scanner.starting")}</p>
          <video ref={video} className="scanner__video" muted playsInline aria-label={t("scanner.video")} />
        </>
      )}
      <div>
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t("scanner.close")}
        </button>
      </div>
    </section>
  );
}
