// Putting report text (scenario names, shopper ids, evidence from the edge) into an HTML page as text,
// never as markup, and data into a <script> block without ending it early.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * JSON for a `<script type="application/json">` block: every `<` is written `\u003c`, so no `</script>`
 * or `<!--` in the data can end the block, and JSON.parse of the text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A script's source for an inline <script>: `</script` and `<!--` (only ever inside strings) escaped. */
export function scriptForInline(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
