/**
 * Text rules for question prompts: the display clean-up and the normalised key
 * used for ids and dedupe. Pure string functions; no Markdown parsing here.
 */

const ZERO_WIDTH = /[\u200B-\u200D\uFEFF]/g;
const HTML_TAG = /<\/?[A-Za-z][^<>]*>/g;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;
/** "12. ", "12) ", "Q12:", "Q 12.", "Question 3.", "#12 " at the start of a prompt. */
const NUMBER_PREFIX = /^(?:(?:q(?:uestion)?|no\.?)\s*#?\d+[a-z]?\s*[.:)\-–—]?|#?\d+[a-z]?\s*[.:)\-–—])\s+/i;
/** One emoji "character": pictograph plus its variation selector / keycap / skin tone parts. */
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const EMOJI_JOINERS = /[\u200D\uFE0E\uFE0F\u20E3]|[\u{1F3FB}-\u{1F3FF}]/gu;
const SHORTCODE = /:[a-z0-9_+-]+:/gi;

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—',
  hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', copy: '©', reg: '®', trade: '™',
};

/** Decodes the character references that show up in notes' inline HTML. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Removes HTML tags and comments from a string (inline HTML in a summary or heading). */
export function stripHtml(text: string): string {
  return decodeEntities(text.replace(HTML_COMMENT, '').replace(/<br\s*\/?>/gi, ' ').replace(HTML_TAG, ''));
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Drops trailing difficulty markers: emoji ("👶", "‍⭐️", "⭐️🚀", even "‍⭐️I" with a
 * stray letter glued on) and "***" (trimstray's "no answer yet" flag).
 */
export function stripTrailingMarkers(text: string): string {
  let out = text.trimEnd();
  for (;;) {
    const cut = out.replace(/\s*\*{2,}$/, '').trimEnd();
    const lastSpace = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\u00A0'));
    const token = cut.slice(lastSpace + 1);
    let next = cut;
    if (PICTOGRAPH.test(token)) {
      const letters = token.replace(EMOJI_JOINERS, '').replace(/\p{Extended_Pictographic}/gu, '');
      // A marker token is emoji plus at most a stray letter; a word with an emoji glued on keeps its word.
      if (letters.length <= 1) next = cut.slice(0, lastSpace + 1).trimEnd();
      else next = cut.replace(/[\p{Extended_Pictographic}\u200D\uFE0E\uFE0F\u20E3]+$/u, '').trimEnd();
    }
    if (next === out) return out;
    out = next;
  }
}

/** Strips "12. ", "Q12:", "Question 3." style numbering from the start of a prompt. */
export function stripNumbering(text: string): string {
  return text.replace(NUMBER_PREFIX, '');
}

/**
 * The question as a person reads it: no zero-width characters, no emoji
 * shortcodes, no numbering prefix, no trailing difficulty markers, one space
 * between words. Letters are left exactly as written.
 */
export function cleanPrompt(text: string): string {
  let out = collapse(text.normalize('NFC').replace(ZERO_WIDTH, ''));
  out = collapse(out.replace(SHORTCODE, ' '));
  out = stripNumbering(out);
  out = stripTrailingMarkers(out);
  return collapse(out);
}

/** Strips inline Markdown syntax so a raw heading line and its rendered text key the same. */
function stripMarkdownSyntax(text: string): string {
  return text
    .trim()
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/^#{1,6}\s+/, '')
    .replace(/(\*\*|__|~~|`+)/g, '')
    .replace(/(^|[\s(])[*_]+(?=\S)|(?<=\S)[*_]+(?=[\s).,;:!?]|$)/g, '$1');
}

/**
 * The key used for question ids and dedupe. Unicode NFKC (full-width and
 * compatibility forms fold), no zero-width characters, no Markdown/HTML, no
 * numbering, no trailing markers, lower case, single spaces, no trailing
 * punctuation. Look-alike letters from other scripts (Cyrillic "С") stay as
 * they are: they are different text.
 */
export function normaliseQuestion(text: string): string {
  let out = text.normalize('NFKC').replace(ZERO_WIDTH, '');
  out = stripMarkdownSyntax(stripTrailingMarkers(stripHtml(out)));
  out = cleanPrompt(out);
  out = out.toLowerCase();
  out = out.replace(/[\s.,;:!?…。？！]+$/u, '');
  return collapse(out);
}

const QUESTION_WORDS = new Set([
  'what', "what's", 'whats', 'why', 'how', "how's", 'when', 'where', 'which', 'who', "who's", 'whom', 'whose',
  'whether', 'is', 'are', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'should', 'would', 'will', 'shall',
  'may', 'might', 'have', 'has', 'explain', 'describe', 'define', 'compare', 'contrast', 'discuss', 'list', 'name',
  'tell', 'write', 'create', 'implement', 'design', 'give', 'build', 'make', 'find', 'draw', 'present', 'execute',
  'configure', 'outline', 'summarize', 'summarise', 'walk', 'imagine', 'suppose', 'assume', 'provide', 'identify',
  'differentiate', 'distinguish', 'elaborate', 'illustrate', 'demonstrate', 'calculate', 'prove', 'solve',
  'introduce', 'talk', 'share', 'justify', 'evaluate', 'predict', 'estimate', 'recommend', 'suggest',
]);

/**
 * Whether a line reads as something asked: it ends with "?" or opens with a
 * question word or an imperative prompt verb ("Explain", "Describe", "Write").
 */
export function looksLikeQuestion(text: string): boolean {
  const clean = cleanPrompt(stripHtml(text));
  if (clean.length === 0) return false;
  if (/[?？]\)?$/.test(clean)) return true;
  const first = clean.split(/[\s,:]/, 1)[0]?.toLowerCase().replace(/[’]/g, "'") ?? '';
  return QUESTION_WORDS.has(first);
}

const CONTINUATION = /^(?:todo|to[- ]?do|tbd|to be continued|continued|contd\.?|cont'?d|continuation|\(continued\)|more)\s*[.:!]*$/i;

/** A heading such as "TODO" or "Continued" that carries on the question above it. */
export function isContinuationHeading(text: string): boolean {
  return CONTINUATION.test(collapse(text));
}

const PLACEHOLDER = /^(?:todo|to[- ]?do|tbd|tba|wip|n\/a|coming soon|answer here|your answer here|add answer|to be (?:completed|done|added|written|answered|continued|filled(?: in)?)|not answered yet|no answer yet)\s*[.!…]*$/i;

/** Text that stands in for an answer nobody has written yet ("To be completed.", "Answer here"). */
export function isPlaceholderText(text: string): boolean {
  return PLACEHOLDER.test(collapse(text));
}

/** Topic text from a heading or front matter value: no HTML, shortcodes, emoji, counts or numbering. */
export function cleanTopic(text: string): string {
  let out = collapse(stripHtml(text).replace(ZERO_WIDTH, '').replace(SHORTCODE, ' '));
  out = out.replace(/[\p{Extended_Pictographic}\u200D\uFE0F]+/gu, ' ');
  out = stripNumbering(collapse(out));
  out = out.replace(/\s*[([]\s*\d+(?:\s+questions?)?\s*[)\]]\s*$/i, '');
  return collapse(out.replace(/[:.]+$/, ''));
}
