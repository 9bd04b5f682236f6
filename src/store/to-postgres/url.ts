/**
 * A database URL fit to print: the password replaced by `***`. Every message the
 * migration prints (progress, errors) names the target through this, because a
 * terminal's scrollback and CI logs outlive the secret's intended audience.
 */
export function scrubUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL we can parse: hide whatever sits between "user:" and "@".
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** `text` with the URL's password (raw and percent-decoded) replaced, for driver errors that might echo it. */
export function scrubPassword(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  if (!password) return text;
  let out = text.split(password).join('***');
  const decoded = safeDecode(password);
  if (decoded) out = out.split(decoded).join('***');
  return out;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
