/**
 * The site's entry: small on purpose. Most pages are the app (web/app.tsx), started at once. The
 * public events calendar and event pages also come drawn by the Worker (worker/features/pages)
 * for readers who are not signed in: those read and work as they are (links and a GET form), so
 * the app — most of the site's JavaScript — is loaded only when the reader asks for something
 * only it does (a `data-action` button: sharing where the phone has no share sheet), or when
 * this device remembers another language than the page was drawn in. Weak phones show the page
 * at once and spend no time on code the reader may never need.
 */
import { applyToDocument, readStoredPreferences, storePreferences } from "./lib/stored-preferences";
import "./styles.css";

type State = "drawn" | "loading" | "started";
let state: State = "drawn";
/** The last `data-action` tapped while the app was loading: done once it has started. */
let pending: string | undefined;

async function start() {
  if (state !== "drawn") return;
  state = "loading";
  const root = document.getElementById("app");
  const drawn = root?.dataset.rendered === "server";
  let place: { scrollX: number; scrollY: number };
  try {
    const app = await import("./app");
    place = await app.mount();
  } catch (error) {
    state = "drawn";
    console.error(error);
    // A drawn page still works (the tap may be tried again); an empty one says what happened.
    if (!drawn && root) showLoadFailure(root);
    return;
  }
  state = "started";
  // The reader stays where they were; the router's first render goes to the top.
  if (drawn) window.scrollTo(place.scrollX, place.scrollY);
  const action = pending;
  pending = undefined;
  if (action) {
    const target = document.querySelector<HTMLElement>(`[data-action="${CSS.escape(action)}"]`);
    target?.focus();
    target?.click();
  }
}

/** The app's files did not load (offline, or replaced by a new version): say so, offer to try again. */
function showLoadFailure(root: HTMLElement) {
  const box = document.createElement("div");
  box.className = "page";
  const text = document.createElement("p");
  text.textContent = "页面没有加载成功，请检查网络后重试。The page did not load: check the connection and try again.";
  const again = document.createElement("button");
  again.type = "button";
  again.className = "button";
  again.textContent = "重新加载 Reload";
  again.addEventListener("click", () => location.reload());
  box.append(text, again);
  root.replaceChildren(box);
}

/** Shares the page through the phone's share sheet, without the app; false where there is none. */
function shareSheet(): boolean {
  if (!navigator.share) return false;
  const title = document.querySelector("h1")?.textContent ?? document.title;
  navigator.share({ title, url: `${location.origin}${location.pathname}` }).catch(() => {
    // Dismissed: nothing to do.
  });
  return true;
}

const root = document.getElementById("app");
if (root?.dataset.rendered !== "server") void start();
else {
  const stored = readStoredPreferences();
  // Tell the Worker this device's language and size for the next page (older visits kept them
  // only in localStorage).
  storePreferences(stored);
  if (stored.locale !== document.documentElement.lang) void start();
  else applyToDocument(stored);
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>("[data-action]") : null;
    if (!target || state === "started") return;
    event.preventDefault();
    const action = target.dataset.action;
    if (action === "share" && shareSheet()) return;
    if (action === "language") {
      // The Worker draws the page again in the other language: no need for the app.
      storePreferences({ ...readStoredPreferences(), locale: stored.locale === "en" ? "zh-CN" : "en" });
      location.reload();
      return;
    }
    pending = action;
    void start();
  });
}
