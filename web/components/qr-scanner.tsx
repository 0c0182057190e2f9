import { useEffect, useRef, useState } from "react";
import { useT } from "../lib/i18n";

/** Frames are scaled down to this width before decoding: enough for a code on a phone held up. */
const DECODE_WIDTH = 640;
/** Time between two decoding attempts. */
const SCAN_EVERY_MS = 150;
/** After a code the caller does not take (not a check-in code), look again after this long. */
const AFTER_REFUSED_MS = 1_000;

type Problem = "denied" | "unavailable" | "insecure" | "reload";

const PROBLEM_TEXT = {
  denied: "scanner.denied",
  unavailable: "scanner.unavailable",
  insecure: "scanner.insecure",
  reload: "scanner.reload",
} as const;

/**
 * Reads a QR code with the device's camera (the back one on a phone): shows what the camera sees
 * and decodes frames with jsQR (loaded only when scanning starts) until `onText` takes a code's
 * text (returns true) — then the camera is switched off. A code it does not take is looked past.
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
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
      if (video.current) video.current.srcObject = null;
    };
    const fail = (why: Problem) => {
      if (stopped) return;
      stop();
      setProblem(why);
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
      let jsQR: typeof import("jsqr").default;
      try {
        jsQR = (await import("jsqr")).default;
      } catch {
        // The page is older than the site (a new version replaced its files): a reload fixes it.
        return fail("reload");
      }
      element.srcObject = stream;
      await element.play();
      if (stopped) return;
      setReady(true);
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      if (!context) return fail("unavailable");
      const scan = () => {
        if (stopped) return;
        try {
          if (element.videoWidth > 0) {
            const scale = Math.min(1, DECODE_WIDTH / element.videoWidth);
            canvas.width = Math.round(element.videoWidth * scale);
            canvas.height = Math.round(element.videoHeight * scale);
            context.drawImage(element, 0, 0, canvas.width, canvas.height);
            const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
            const found = jsQR(data, width, height, { inversionAttempts: "dontInvert" });
            if (found?.data) {
              if (report.current(found.data)) return stop();
              timer = setTimeout(scan, AFTER_REFUSED_MS);
              return;
            }
          }
        } catch {
          return fail("unavailable");
        }
        timer = setTimeout(scan, SCAN_EVERY_MS);
      };
      scan();
    })().catch(() => fail("unavailable"));
    return stop;
  }, []);

  return (
    <section className="card stack scanner" aria-labelledby="scanner-title">
      <h2 id="scanner-title" ref={heading} tabIndex={-1}>
        {t("scanner.title")}
      </h2>
      {problem ? (
        <div className="alert" role="alert">
          <p className="alert__title">{t(PROBLEM_TEXT[problem])}</p>
        </div>
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
