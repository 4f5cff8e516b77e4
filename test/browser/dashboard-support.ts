import type { Page } from 'playwright-core';
import { layoutProblems, screenshot, seriousA11yViolations } from './browser-support.js';

/** Signs in at /dashboard (the seller's whole app) and waits for the orders inbox, where signing in lands. */
export async function signInDashboard(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/dashboard');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
}

/** A JPEG the size a phone camera takes (`width`×`height`), drawn by the browser itself: real bytes to upload. */
export async function cameraPhoto(page: Page, width = 3000, height = 2000): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d')!;
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, '#0b6b4f');
      g.addColorStop(1, '#f2c14e');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, w, h);
      return canvas.toDataURL('image/jpeg', 0.9);
    },
    [width, height] as const,
  );
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** The width and height of an image the app serves, decoded by the browser. */
export async function imageSize(page: Page, url: string): Promise<{ width: number; height: number }> {
  return page.evaluate(async (u) => {
    const bitmap = await createImageBitmap(await (await fetch(u)).blob());
    return { width: bitmap.width, height: bitmap.height };
  }, url);
}

/** Checks a screen as every screen is checked: axe (serious or critical), layout at this width; then a screenshot. */
export async function checkDashboardScreen(page: Page, name: string, found: Record<string, string[]>): Promise<void> {
  found[name] = [...(await seriousA11yViolations(page)), ...(await layoutProblems(page))];
  await screenshot(page, `dashboard-${name}`);
}

/** The write controls on the page now: buttons that change something, and enabled form fields outside filters. */
export async function writeControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const writes = /^(Save|Delete|Add|Create|Import|Confirm order|Mark|Cancel order|Remove|Revoke|Grant)\b/;
    for (const el of document.querySelectorAll<HTMLElement>('main button, main a.button')) {
      // A closed dialog's buttons cannot be reached; what opens it is checked instead.
      if (el.closest('dialog:not([open])')) continue;
      const name = (el.textContent ?? '').trim();
      if (writes.test(name) && !(el as HTMLButtonElement).disabled) found.push(name);
    }
    // A person's own account (their password) is theirs to change whatever their role: not a write to the shop.
    const fields = 'main form:not(.filters):not([data-own-account]) input, main textarea';
    for (const el of document.querySelectorAll<HTMLInputElement>(fields))
      if (!el.disabled && el.type !== 'search' && !el.closest('dialog:not([open])')) found.push(`field ${el.id}`);
    return found;
  });
}
