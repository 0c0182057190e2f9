/**
 * A page the Worker draws, put into the site's own built index.html (its stylesheet and entry
 * script, hashed by Vite) so it looks and starts exactly as the app does.
 */
import type { DevicePreferences } from "./preferences-cookie";

export interface DrawnPage {
  title: string;
  description?: string;
  /** The markup of #app. */
  body: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The shell with the page in #app (marked `data-rendered="server"` for web/main.tsx), the
 * reader's language and elder mode on `<html>`, the page's title and description; the
 * "please enable JavaScript" note goes, as the page works without it.
 */
export function fillShell(shell: string, page: DrawnPage, preferences: DevicePreferences): string {
  const title = escapeAttribute(page.title);
  let out = shell
    .replace(/<html[^>]*>/, `<html lang="${preferences.locale}"${preferences.elderMode ? ' class="elder"' : ""}>`)
    .replace(/<title>[^<]*<\/title>/, () => `<title>${title}</title>`)
    .replace(/<noscript>[\s\S]*?<\/noscript>\s*/, "")
    .replace('<div id="app"></div>', () => `<div id="app" data-rendered="server">${page.body}</div>`);
  if (page.description !== undefined) {
    const description = escapeAttribute(page.description);
    out = out.replace(
      /<meta name="description" content="[^"]*"\s*\/?>/,
      () => `<meta name="description" content="${description}" />`,
    );
  }
  return out;
}
