// The WebMCPChat queue stub, in a file of its own so a page with
// `Content-Security-Policy: script-src 'self'` can load it. Calls made before
// /webmcp-chat.js arrives are queued and replayed in order.
window.WebMCPChat =
  window.WebMCPChat ||
  ((...args) => {
    WebMCPChat.q = WebMCPChat.q || [];
    WebMCPChat.q.push(args);
  });
