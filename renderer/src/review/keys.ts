/**
 * When a key press belongs to the desk. A decision is never taken by accident: the desk's
 * shortcuts (A/Enter approve, R, T, 1–9, U, J/K …) act only while the focus is on the desk
 * itself — the page, the applicant pane, the scan viewer, the queue list — never while a button,
 * link, checkbox, menu or text field has it: there the element's own action runs (Enter on a
 * focused 不通过 button presses that button). Esc hands the keys back to the desk.
 */

const INTERACTIVE_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A', 'SUMMARY', 'OPTION']);
const INTERACTIVE_ROLES = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'textbox', 'combobox', 'slider', 'spinbutton']);

/** True when the element is a control with its own keyboard action. */
export function isControl(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (INTERACTIVE_TAGS.has(el.tagName)) return true;
  if (el.isContentEditable) return true;
  const role = el.getAttribute('role');
  return role !== null && INTERACTIVE_ROLES.has(role);
}

/** A text field: typing there must never trigger a shortcut, not even with Esc pending. */
export function isTextField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable) return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

/**
 * The desk's handling of a key press: 'control' when a control has the focus (leave it alone;
 * Esc blurs it), 'desk' when the desk's shortcuts may act.
 */
export function keyOwner(e: KeyboardEvent): 'desk' | 'control' {
  return isControl(e.target) ? 'control' : 'desk';
}

/** Esc on a control hands the keys back to the desk. Returns true when it did. */
export function leaveControl(e: KeyboardEvent): boolean {
  if (e.key !== 'Escape' || !isControl(e.target)) return false;
  (e.target as HTMLElement).blur();
  return true;
}

/**
 * Enter on a focused checkbox or radio ticks it, as Space does. The browser alone does nothing
 * there, so a reviewer who pressed Enter on a reason saw no effect at all; now Enter does the
 * control's own thing, as it does on a button. Inside a form Enter keeps its meaning there
 * (submit). Returns true when it ticked.
 */
export function enterTicks(e: KeyboardEvent): boolean {
  const el = e.target;
  if (e.key !== 'Enter' || e.repeat || !(el instanceof HTMLInputElement) || (el.type !== 'checkbox' && el.type !== 'radio') || el.form) return false;
  el.click();
  return true;
}
