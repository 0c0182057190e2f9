import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createRouter, RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { NotFound, Pending } from "./components/page";
import { RouteError } from "./components/route-error";
import { ApiError } from "./lib/api";
import type { NearbySearch } from "./lib/nearby-search";
import { PreferencesProvider } from "./lib/preferences";
import { ForbiddenError } from "./lib/roles";
import { applyToDocument, readStoredPreferences } from "./lib/stored-preferences";
import { routeTree } from "./routeTree.gen";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; network and server errors get one more try.
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 1,
    },
  },
});

const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // TanStack Query owns freshness; the router should always ask it.
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
  defaultPendingComponent: Pending,
  defaultErrorComponent: RouteError,
  defaultNotFoundComponent: NotFound,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

declare module "@tanstack/history" {
  interface HistoryState {
    /** Set when a facility page is opened from the nearby list, so its back link returns to the same view. */
    nearbySearch?: NearbySearch;
    /** Set when a booking page is opened right after the booking was made, to say so. */
    bookingCreated?: boolean;
  }
}

/**
 * Starts the site in #app. On a page the Worker drew (`data-rendered="server"`), the page's data
 * is loaded first and the drawn page replaced in one go, so nothing flashes — or, when the data
 * does not load, left as it is (this throws) rather than replaced by an error screen. Answers where
 * the reader was on the page just before it was replaced, for web/main.tsx to keep them there
 * (the router's first render goes to the top) before doing what they tapped.
 */
export async function mount(): Promise<{ scrollX: number; scrollY: number }> {
  // Apply the remembered language and elder mode before the first paint.
  const preferences = readStoredPreferences();
  applyToDocument(preferences);

  const root = document.getElementById("app");
  if (!root) throw new Error("index.html has no #app element");
  const drawn = root.dataset.rendered === "server";
  if (drawn) {
    await router.load();
    if (router.state.matches.some((match) => match.status === "error"))
      throw new Error("The page's data did not load; the drawn page stays");
  }

  const reactRoot = createRoot(root, {
    // A forbidden screen is an expected outcome, not a fault worth logging.
    onCaughtError: (error, info) => {
      if (!(error instanceof ForbiddenError)) console.error(error, info.componentStack);
    },
  });
  const app = (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <PreferencesProvider initial={preferences}>
          <RouterProvider router={router} />
        </PreferencesProvider>
      </QueryClientProvider>
    </StrictMode>
  );
  const place = { scrollX: window.scrollX, scrollY: window.scrollY };
  if (!drawn) {
    reactRoot.render(app);
    return place;
  }
  flushSync(() => reactRoot.render(app));
  delete root.dataset.rendered;
  return place;
}
