/** The store's name: one database per token and API origin (its own module, so the launcher can name it without loading storage). */
export function storeName(clientToken: string, apiUrl: string): string {
  let origin = apiUrl;
  try {
    origin = new URL(apiUrl).origin;
  } catch {
    // A relative or odd URL still names a store.
  }
  return `webmcp-chat:${origin}:${clientToken}`;
}
