// DOM building only: data always enters the page as text nodes or attribute values, never as HTML.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** The path of an IRI on this origin (only those become links), or undefined. */
export function localPath(value) {
  if (typeof value !== 'string' || !/^(\/|https?:\/\/)/.test(value)) return undefined;
  try {
    const url = new URL(value, location.origin);
    return url.origin === location.origin && url.pathname.startsWith('/api') ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}

/** Tables scroll sideways on a phone instead of widening the page. */
export function scrolling(table) {
  return el('div', { class: 'scroll' }, table);
}
