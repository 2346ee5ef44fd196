/** Attributes and event handlers of an element made by {@link h}. */
export type Props = Record<string, string | number | boolean | EventListener | undefined>;

/** What {@link h} takes as children: nodes, text, or nothing (skipped). */
export type Child = Node | string | number | false | null | undefined | readonly Child[];

/**
 * Makes an element: `on…` props become listeners, `false`/`undefined` props are left out.
 * @param tag the element's tag name
 * @param props attributes and listeners
 * @param children nodes or text, nested arrays flattened
 * @returns the element
 * @example
 * h("button", { type: "button", onclick: () => save() }, "Save")
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/**
 * Makes an SVG element (the timeline graph).
 * @param tag the SVG tag name
 * @param attrs its attributes
 * @param children nested SVG nodes or text
 * @returns the element
 */
export function svg(tag: string, attrs: Record<string, string | number>, ...children: Child[]) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

/**
 * Replaces what a node holds.
 * @param parent the node
 * @param children its new content
 */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

const drawnKeys = new WeakMap<Element, string>();

/**
 * Redraws a box only when what it shows changed (`key`, e.g. the data as JSON), so a live
 * refresh that changes nothing keeps the reader's place; after a redraw the focus goes back to
 * the control with the same id or label, so keyboard users keep theirs too.
 * @param box the element to fill
 * @param key what the content is drawn from
 * @param draw makes the content
 */
export function redraw(box: Element, key: string, draw: () => Child): void {
  if (drawnKeys.get(box) === key) return;
  drawnKeys.set(box, key);
  const active = document.activeElement;
  const focused =
    active !== null && box.contains(active) ? active.id || active.getAttribute("aria-label") : null;
  replace(box, draw());
  if (focused === null || focused === "") return;
  const again =
    box.querySelector(`[id="${CSS.escape(focused)}"]`) ??
    box.querySelector(`[aria-label="${CSS.escape(focused)}"]`);
  if (again instanceof HTMLElement) again.focus();
}
