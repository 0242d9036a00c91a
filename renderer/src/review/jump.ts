/**
 * "Show me that applicant": a finding that names a duplicate, an export blocker, a 复核 item — a
 * click anywhere brings the applicant up in the desk's queue. The places that offer it live in
 * different parts of the page (the applicant view, the tool dialogs), so it is a page event the
 * desk listens to rather than a callback threaded through every dialog.
 */
const EVENT = 'desk:jump';

export function jumpTo(idNumber: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: idNumber }));
}

/** Listens for jumps; returns the unsubscribe. */
export function onJump(handler: (idNumber: string) => void): () => void {
  const listener = (e: Event): void => {
    if (e instanceof CustomEvent && typeof e.detail === 'string') handler(e.detail);
  };
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
