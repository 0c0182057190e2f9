/**
 * A page the Worker draws, put into the site's own built index.html (its stylesheet and entry
 * script, hashed by Vite) so it looks and starts exactly as the app does.
 */
import { html } from "hono/html";
import type { DevicePreferences } from "./preferences-cookie";

type Html = ReturnType<typeof html>;

export interface DrawnPage {
  title: string;
  description?: string;
  /** The markup of #app. */
  body: Html;
}

/**
 * The shell with the page in #app (marked `data-rendered="server"` for web/main.tsx), the
 * reader's language and elder mode on `<html>`, the page's title and description; the
 * "please enable JavaScript" note goes, as the page works without it.
 */
export function fillShell(shell: string, page: DrawnPage, preferences: DevicePreferences): string {
  let out = shell
    .replace(/<html[^>]*>/, `<html lang="${preferences.locale}"${preferences.elderMode ? ' class="elder"' : ""}>`)
    .replace(/<title>[^<]*<\/title>/, () => html`<title>${page.title}</title>`.toString())
    .replace(/<noscript>[\s\S]*?<\/noscript>\s*/, "")
    .replace('<div id="app"></div>', () => `<div id="app" data-rendered="server">${page.body}</div>`);
  const { description } = page;
  if (description !== undefined) {
    out = out.replace(/<meta name="description" content="[^"]*"\s*\/?>/, () =>
      html`<meta name="description" content="${description}" />`.toString(),
    );
  }
  return out;
}
