// A leaf module: inputs are checked (and their errors redacted) before the HTTP client loads.

/**
 * The URL with any `user:password@` replaced by `***@`: what may be logged, put in a job
 * summary or an output. Mirrors are often given with credentials in the URL.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}

/** Every URL in a text, redacted (error messages of libraries quote the URL they got). */
export function redactUrls(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s/?#@]*@/gi, (m) => redactUrl(m));
}
