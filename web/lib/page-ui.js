// Small page pieces shared by index.html and calls.html: the error banner, downloads, clipboard.

import { explainError } from './plain-errors.js';

/**
 * Shows an error (a CaptionsError or anything thrown) or a warning `{ title, plainMessage, detail, kind }`
 * in the page's banner (#error-banner, role="alert").
 */
export function showError(error) {
  const e = error?.kind === 'warning' ? error : explainError(error);
  const banner = document.getElementById('error-banner');
  document.getElementById('error-title').textContent = e.title;
  document.getElementById('error-message').textContent = e.plainMessage ?? e.message;
  const detail = e.detail ? String(e.detail) : '';
  document.getElementById('error-detail').textContent = detail;
  document.getElementById('error-details-box').hidden = !detail;
  banner.dataset.kind = e.kind === 'warning' || e.fatal === false ? 'warning' : 'error';
  banner.hidden = false;
}

export function hideError() {
  document.getElementById('error-banner').hidden = true;
}

/** Saves text as a file through a temporary link. */
export function downloadText(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Copies text to the clipboard; false when the browser refused. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand?.('copy') ?? false;
    area.remove();
    return ok;
  }
}
