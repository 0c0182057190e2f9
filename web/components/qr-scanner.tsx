import { useEffect, useRef, useState } from "react";
import { useT } from "../lib/i18n";

/** Frames are scaled down to this width before decoding: enough for a code on a phone held up. */
const DECODE_WIDTH = 640;
/** Time between two decoding attempts. */
const SCAN_EVERY_MS = 150;

type Problem = "denied" | "unavailable";

/**
 * Reads a QR code with the device's camera (the back one on a phone): shows what the camera sees
 * and decodes frames with jsQR (loaded only when scanning starts) until a code is read — then
 * `onText` gets its text and the camera is switched off. Without a camera, or when access is
 * refused, it says so; typing the code stays possible beside it.
 */
export function QrScanner({ onText, onClose }: { onText: (text: string) => void; onClose: () => void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [ready, setReady] = useState(false);
  // The latest callback, without restarting the camera when the caller's function changes.
  const report = useRef(onText);
  report.current = onText;

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem("unavailable");
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        if (!stopped)
          setProblem(error instanceof DOMException && error.name === "NotAllowedError" ? "denied" : "unavailable");
        return;
      }
      const element = video.current;
      if (stopped || !element) {
        stop();
        return;
      }
      const [{ default: jsQR }] = await Promise.all([
        import("jsqr"),
        (async () => {
          element.srcObject = stream ?? null;
          await element.play();
        })(),
      ]);
      if (stopped) return;
      setReady(true);
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      const scan = () => {
        if (stopped || !context) return;
        if (element.videoWidth > 0) {
          const scale = Math.min(1, DECODE_WIDTH / element.videoWidth);
          canvas.width = Math.round(element.videoWidth * scale);
          canvas.height = Math.round(element.videoHeight * scale);
          context.drawImage(element, 0, 0, canvas.width, canvas.height);
          const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
          const found = jsQR(data, width, height, { inversionAttempts: "dontInvert" });
          if (found?.data) {
            stop();
            report.current(found.data);
            return;
          }
        }
        timer = setTimeout(scan, SCAN_EVERY_MS);
      };
      scan();
    })().catch(() => {
      if (!stopped) setProblem("unavailable");
    });
    return stop;
  }, []);

  return (
    <section className="card stack scanner" aria-labelledby="scanner-title">
      <h2 id="scanner-title">{t("scanner.title")}</h2>
      {problem ? (
        <div className="alert" role="alert">
          <p className="alert__title">{t(problem === "denied" ? "scanner.denied" : "scanner.unavailable")}</p>
        </div>
      ) : (
        <>
          <p role="status">{t(ready ? "scanner.aim" : "scanner.starting")}</p>
          {/* Live camera picture: nothing to caption; the status line above says what to do. */}
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
