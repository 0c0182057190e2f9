import { type RefObject, useEffect, useRef } from "react";

/**
 * Gives the focus to `target` when the element that had it inside `container` has been removed
 * by a re-render — a button the clock made obsolete (cancelling closed at the cut-off while its
 * confirmation was open), a section gone when the service ended — instead of leaving it on the
 * page's body, where keyboard and screen-reader users lose their place. Nothing moves when the
 * focus was elsewhere, or still is. `target` needs `tabIndex={-1}` unless it is focusable.
 *
 * @example
 * const page = useRef<HTMLDivElement>(null);
 * const status = useRef<HTMLParagraphElement>(null);
 * useFocusWhenLost(page, status);
 */
export function useFocusWhenLost(
  container: RefObject<HTMLElement | null>,
  target: RefObject<HTMLElement | null>,
): void {
  const last = useRef<Element | null>(null);
  useEffect(() => {
    const note = (event: FocusEvent) => {
      const within = event.target instanceof Element && container.current?.contains(event.target);
      last.current = within ? event.target : null;
    };
    // Focus left for nowhere (a click on blank space) while the control stays, usable: the user
    // moved on, and a later removal of it must not pull the focus back. (A control removed while
    // focused fires no such event, or fires it already detached; one disabled while its action
    // runs loses the focus too, and is still the user's place.)
    const left = (event: FocusEvent) => {
      const target = event.target;
      if (event.relatedTarget !== null || target !== last.current) return;
      setTimeout(() => {
        const stays = target instanceof Element && target.isConnected && !target.matches(":disabled");
        if (stays && last.current === target) last.current = null;
      }, 0);
    };
    document.addEventListener("focusin", note);
    document.addEventListener("focusout", left);
    return () => {
      document.removeEventListener("focusin", note);
      document.removeEventListener("focusout", left);
    };
  }, [container]);
  // After every render: was the focused element just taken out of the page?
  useEffect(() => {
    const gone = last.current && !last.current.isConnected;
    const active = document.activeElement;
    if (gone && (!active || active === document.body)) {
      last.current = null;
      target.current?.focus();
    }
  });
}
