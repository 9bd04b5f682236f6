/**
 * Database URLs carry the password (postgres://user:password@host/db). Anything that
 * logs or reports one goes through here first.
 */

/** `postgres://user:secret@host:5432/db` → `postgres://user:***@host:5432/db`; a URL without a password is returned as is. */
export function scrubDatabaseUrl(url: string): string {
  return scrubDatabaseUrls(url);
}

/** Every `scheme://user:password@` in `text` with the password replaced by ***. */
export function scrubDatabaseUrls(text: string): string {
  // Up to the last @ of the word: a password that is not percent-encoded may itself hold @ or :.
  // A query string with an @ gets scrubbed too far, which hides nothing secret.
  // Any scheme: a mistyped DATABASE_URL (mysql://…) carries a real password too.
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s"']*):[^\s"']*@/gi, '$1:***@');
}

/** The password in a database URL (percent-decoded), for scrubbing by value; undefined when there is none. */
export function databasePassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/** `text` with the URL's password (raw and percent-decoded) replaced, for driver errors that might echo it. */
export function scrubPassword(text: string, url: string): string {
  let raw: string;
  try {
    raw = new URL(url).password;
  } catch {
    return text;
  }
  let out = text;
  for (const form of [raw, databasePassword(url)]) if (form) out = out.split(form).join('***');
  return out;
}
