/**
 * Discord's documented limits, checked the way Discord checks them: a failing
 * body gets 400 `{message: "Invalid Form Body", code: 50035, errors}` with the
 * errors nested by field path, which discord.js flattens into its message.
 */
export type FieldErrors = Record<string, string>;

export function formBodyError(errors: FieldErrors) {
  const nested: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(errors)) {
    let node = nested;
    for (const part of path.split('.')) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node._errors = [{ code: 'INVALID', message }];
  }
  return { message: 'Invalid Form Body', code: 50035, errors: nested };
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

export const MESSAGE_LIMIT = 2000;

/** A message body (channel message, interaction reply, follow-up, edit). */
export function validateMessage(body: Json, { partial = false } = {}): FieldErrors {
  const errors: FieldErrors = {};
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== 'string') errors.content = 'Must be a string.';
    else if (len(body.content) > MESSAGE_LIMIT) errors.content = `Must be ${MESSAGE_LIMIT} or fewer in length.`;
  }
  const components = body.components;
  if (components !== undefined) {
    if (!Array.isArray(components)) errors.components = 'Must be an array.';
    else if (components.length > 5) errors.components = 'Must be 5 or fewer in length.';
    else {
      components.forEach((row: unknown, i) => {
        if (!isObj(row) || row.type !== 1 || !Array.isArray(row.components)) {
          errors[`components.${i}`] = 'Must be an action row (type 1) with components.';
          return;
        }
        if (row.components.length < 1 || row.components.length > 5) {
          errors[`components.${i}.components`] = 'Must be between 1 and 5 in length.';
        }
        row.components.forEach((c: unknown, j) => {
          const at = `components.${i}.components.${j}`;
          if (!isObj(c) || c.type !== 2) {
            errors[at] = 'Only buttons are supported by this fake.';
            return;
          }
          if (c.style === 5) {
            if (typeof c.url !== 'string') errors[`${at}.url`] = 'Link buttons need a url.';
          } else if (typeof c.custom_id !== 'string' || len(c.custom_id) < 1 || len(c.custom_id) > 100) {
            errors[`${at}.custom_id`] = 'Must be between 1 and 100 in length.';
          }
          if (c.label !== undefined && len(c.label) > 80) errors[`${at}.label`] = 'Must be 80 or fewer in length.';
          if (typeof c.style !== 'number' || c.style < 1 || c.style > 6) errors[`${at}.style`] = 'Invalid button style.';
        });
      });
      const ids = components.flatMap((r: unknown) =>
        isObj(r) && Array.isArray(r.components) ? r.components.map((c: Json) => c.custom_id).filter(Boolean) : [],
      );
      if (new Set(ids).size !== ids.length) errors.components = 'Component custom id cannot be duplicated';
    }
  }
  if (body.allowed_mentions !== undefined) {
    const am = body.allowed_mentions;
    if (!isObj(am) || (am.parse !== undefined && !Array.isArray(am.parse))) {
      errors.allowed_mentions = 'Must be an object with a parse array.';
    }
  }
  if (Array.isArray(body.attachments)) {
    body.attachments.forEach((a: unknown, i: number) => {
      if (isObj(a) && typeof a.description === 'string' && len(a.description) > 1024) {
        errors[`attachments.${i}.description`] = 'Must be 1024 or fewer in length.';
      }
    });
  }
  const empty =
    !body.content &&
    !(Array.isArray(body.components) && body.components.length) &&
    !(Array.isArray(body.embeds) && body.embeds.length) &&
    !body.sticker_ids &&
    !body.attachments;
  if (!partial && empty && Object.keys(errors).length === 0) errors._empty = 'Cannot send an empty message';
  return errors;
}

/** Modal callback data (type 9). */
export function validateModal(data: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!isObj(data)) return { data: 'Must be an object.' };
  if (typeof data.custom_id !== 'string' || len(data.custom_id) < 1 || len(data.custom_id) > 100) {
    errors['data.custom_id'] = 'Must be between 1 and 100 in length.';
  }
  if (typeof data.title !== 'string' || len(data.title) < 1 || len(data.title) > 45) {
    errors['data.title'] = 'Must be between 1 and 45 in length.';
  }
  const comps = data.components;
  if (!Array.isArray(comps) || comps.length < 1 || comps.length > 5) {
    errors['data.components'] = 'Must be between 1 and 5 in length.';
    return errors;
  }
  comps.forEach((c: unknown, i) => {
    const at = `data.components.${i}`;
    if (!isObj(c)) {
      errors[at] = 'Must be an object.';
      return;
    }
    if (c.type === 10) {
      if (typeof c.content !== 'string' || len(c.content) < 1 || len(c.content) > 4000) {
        errors[`${at}.content`] = 'Must be between 1 and 4000 in length.';
      }
    } else if (c.type === 18) {
      if (typeof c.label !== 'string' || len(c.label) < 1 || len(c.label) > 45) {
        errors[`${at}.label`] = 'Must be between 1 and 45 in length.';
      }
      if (c.description !== undefined && len(c.description) > 100) {
        errors[`${at}.description`] = 'Must be 100 or fewer in length.';
      }
      checkTextInput(c.component, `${at}.component`, false, errors);
    } else if (c.type === 1) {
      const inner = Array.isArray(c.components) ? c.components : [];
      if (inner.length !== 1) errors[`${at}.components`] = 'Must be 1 in length.';
      else checkTextInput(inner[0], `${at}.components.0`, true, errors);
    } else {
      errors[`${at}.type`] = 'Value must be one of {1, 10, 18}.';
    }
  });
  return errors;
}

function checkTextInput(c: unknown, at: string, needsLabel: boolean, errors: FieldErrors) {
  if (!isObj(c) || c.type !== 4) {
    errors[`${at}.type`] = 'Must be a text input (type 4).';
    return;
  }
  if (typeof c.custom_id !== 'string' || len(c.custom_id) < 1 || len(c.custom_id) > 100) {
    errors[`${at}.custom_id`] = 'Must be between 1 and 100 in length.';
  }
  if (c.style !== 1 && c.style !== 2) errors[`${at}.style`] = 'Value must be one of {1, 2}.';
  if (needsLabel && (typeof c.label !== 'string' || len(c.label) < 1 || len(c.label) > 45)) {
    errors[`${at}.label`] = 'Must be between 1 and 45 in length.';
  }
  if (c.placeholder !== undefined && len(c.placeholder) > 100) errors[`${at}.placeholder`] = 'Must be 100 or fewer in length.';
  if (c.max_length !== undefined && (typeof c.max_length !== 'number' || c.max_length < 1 || c.max_length > 4000)) {
    errors[`${at}.max_length`] = 'Must be between 1 and 4000.';
  }
  if (c.min_length !== undefined && (typeof c.min_length !== 'number' || c.min_length < 0 || c.min_length > 4000)) {
    errors[`${at}.min_length`] = 'Must be between 0 and 4000.';
  }
}

const NAME_RE = /^[-_\p{L}\p{N}]{1,32}$/u;
const OPTION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

/** A bulk-overwrite array of chat-input commands. */
export function validateCommands(cmds: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(cmds)) return { _root: 'Must be an array.' };
  if (cmds.length > 100) errors._root = 'Must be 100 or fewer in length.';
  const names = new Set<string>();
  cmds.forEach((c: unknown, i) => {
    if (!isObj(c)) {
      errors[`${i}`] = 'Must be an object.';
      return;
    }
    const type = c.type ?? 1;
    if (type === 1) checkName(c.name, `${i}.name`, errors);
    if (typeof c.name === 'string') {
      if (names.has(`${type}:${c.name}`)) errors[`${i}.name`] = 'Application command names must be unique';
      names.add(`${type}:${c.name}`);
    }
    if (type === 1) checkDescription(c.description, `${i}.description`, errors);
    if (c.default_member_permissions !== undefined && c.default_member_permissions !== null) {
      if (typeof c.default_member_permissions !== 'string' || !/^\d+$/.test(c.default_member_permissions)) {
        errors[`${i}.default_member_permissions`] = 'Must be a permission bitfield string.';
      }
    }
    if (c.options !== undefined) checkOptions(c.options, `${i}.options`, errors, 0);
  });
  return errors;
}

function checkName(name: unknown, at: string, errors: FieldErrors) {
  if (typeof name !== 'string' || !NAME_RE.test(name) || name !== name.toLowerCase()) {
    errors[at] = 'Command name is invalid (lowercase, 1-32 letters, digits, - or _).';
  }
}

function checkDescription(d: unknown, at: string, errors: FieldErrors) {
  if (typeof d !== 'string' || len(d) < 1 || len(d) > 100) errors[at] = 'Must be between 1 and 100 in length.';
}

function checkOptions(opts: unknown, at: string, errors: FieldErrors, depth: number) {
  if (!Array.isArray(opts)) {
    errors[at] = 'Must be an array.';
    return;
  }
  if (opts.length > 25) errors[at] = 'Must be 25 or fewer in length.';
  let seenOptional = false;
  const hasSub = opts.some((o: Json) => isObj(o) && (o.type === 1 || o.type === 2));
  opts.forEach((o: unknown, j) => {
    const p = `${at}.${j}`;
    if (!isObj(o)) {
      errors[p] = 'Must be an object.';
      return;
    }
    if (!OPTION_TYPES.has(o.type as number)) errors[`${p}.type`] = 'Invalid option type.';
    checkName(o.name, `${p}.name`, errors);
    checkDescription(o.description, `${p}.description`, errors);
    const isSub = o.type === 1 || o.type === 2;
    if (hasSub && !isSub) errors[`${p}.type`] = 'Sub-command and sub-command group option types are mutually exclusive to all other types';
    if (isSub) {
      if (depth > 1 || (o.type === 2 && depth > 0)) errors[`${p}.type`] = 'Sub-commands nested too deeply.';
      if (o.options !== undefined) checkOptions(o.options, `${p}.options`, errors, depth + 1);
      return;
    }
    if (o.required) {
      if (seenOptional) errors[`${p}.required`] = 'Required options must be placed before non-required options';
    } else seenOptional = true;
    if (o.choices !== undefined) {
      if (!Array.isArray(o.choices) || o.choices.length > 25) errors[`${p}.choices`] = 'Must be 25 or fewer in length.';
      if (o.autocomplete) errors[`${p}.autocomplete`] = 'Autocomplete cannot be set with choices';
    }
    if (o.autocomplete && o.type !== 3 && o.type !== 4 && o.type !== 10) {
      errors[`${p}.autocomplete`] = 'Autocomplete is only for string, integer and number options';
    }
    if (o.max_length !== undefined && (typeof o.max_length !== 'number' || o.max_length < 1 || o.max_length > 6000)) {
      errors[`${p}.max_length`] = 'Must be between 1 and 6000.';
    }
  });
}
