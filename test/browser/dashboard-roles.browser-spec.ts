import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addMember, registerSeller, type SellerSession, uniqueEmail } from '../support/factories.js';
import { createProduct, orderBody } from '../support/shop.js';
import { DESKTOP, launch, newContext, type PageServer, PHONE, servePage, tabTo } from './browser-support.js';
import { checkDashboardScreen, signInDashboard, writeControls } from './dashboard-support.js';

/** Every catalogue entry of one language, read from its source file (`'key': 'text',`). */
function catalogue(lang: 'en' | 'sw'): Record<string, string> {
  const text = readFileSync(join(process.cwd(), 'web', 'seller-app', 'src', 'i18n', `${lang}.ts`), 'utf8');
  const out: Record<string, string> = {};
  // Prettier writes a text holding an apostrophe in double quotes.
  for (const m of text.matchAll(/'([\w.]+)':\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g))
    out[m[1]] = (m[2] ?? m[3]).replace(/\\(['"])/g, '$1');
  return out;
}

/**
 * Who sees what (a VIEWER no write control anywhere, a MANAGER no owner-only setting, never a 403 first), the app in
 * Kiswahili at 360 px, and the keyboard alone, in Debian's Chromium against the real app.
 */
describe('Seller dashboard: roles, Kiswahili, keyboard (Chromium)', () => {
  let server: PageServer;
  let browser: Browser;
  let owner: SellerSession;
  let orderId: string;
  let productId: string;
  let customerId: string;
  const problems: Record<string, string[]> = {};
  // Every screen of the app, as a route and the English heading it opens on.
  const screens = () =>
    [
      ['orders', '/orders', 'Orders'],
      ['order', `/orders/${orderId}`, /^Order SKH-/],
      ['new-order', '/orders/new', 'New order'],
      ['payments', '/payments', 'Payments to review'],
      ['products', '/products', 'Products'],
      ['product', `/products/${productId}`, 'Kanga Wrap'],
      ['import', '/products/import', 'Import products from CSV'],
      ['stock-take', '/products/stock-take', 'Stock take'],
      ['customers', '/customers', 'Customers'],
      ['customer', `/customers/${customerId}`, 'Achieng Otieno'],
      ['analytics', '/analytics', 'Analytics'],
      ['settings', '/settings', 'Settings'],
      ['shop', '/settings/shop', 'Shop settings'],
      ['password', '/settings/password', 'Your password'],
      ['webhooks', '/endpoints', 'Webhooks'],
      ['access', '/access', 'Partners & API keys'],
      ['mpesa', '/mpesa', 'M-Pesa'],
    ] as const;

  /** A member the owner adds (entering the password first: the sudo window here is 3 s). */
  const member = async (role: 'MANAGER' | 'VIEWER') => {
    await server.t.http
      .post('/api/auth/reauth')
      .set('Cookie', owner.cookie)
      .send({ password: owner.password })
      .expect(204);
    return addMember(server.t.http, owner, role);
  };
  /** Opens a route and waits until nothing on it is still loading. */
  const open = async (page: Page, route: string) => {
    await page.goto(`/dashboard#${route}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0);
  };
  /** Records every 403 the page is answered with: a role's limits are shown, never learned from a refusal. */
  const refusals = (page: Page) => {
    const seen: string[] = [];
    page.on('response', (r) => r.status() === 403 && seen.push(`${r.request().method()} ${r.url()}`));
    return seen;
  };

  beforeAll(async () => {
    // A short sudo window (3 s), so the staff flow meets the password question as a seller would after a while.
    server = await servePage({ REAUTH_WINDOW_MIN: '0.05' });
    browser = await launch();
    owner = await registerSeller(server.t.http, { storeName: 'Kanga Corner' });
    productId = (await createProduct(server.t.http, owner, { name: 'Kanga Wrap', priceKes: 950, stock: 3 })).id;
    const placed = await server.t.http
      .post('/api/orders')
      .send(
        orderBody(owner, [{ productId, quantity: 1 }], {
          customerName: 'Achieng Otieno',
          customerPhone: '0733111222',
          paymentMethod: 'CASH_ON_DELIVERY',
        }),
      )
      .expect(201);
    orderId = placed.body.id;
    customerId = placed.body.customerId;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.t.close();
  });

  it('a new seller opens a shop from the phone and lands on the orders inbox', async () => {
    const n = await newContext(browser, server.base, PHONE);
    await n.page.goto('/dashboard');
    await n.page.getByRole('button', { name: 'New to SokoHub? Create your shop' }).click();
    await n.page.getByRole('heading', { level: 1, name: 'Create your shop' }).waitFor();
    await checkDashboardScreen(n.page, 'sign-up-360', problems);
    const email = uniqueEmail('newshop');
    await n.page.getByLabel('Shop name').fill('Mama Mboga Fresh');
    await n.page.getByLabel('Phone number').fill('12345');
    await n.page.getByLabel('Email').fill(email);
    await n.page.getByLabel('Password').fill('a-long-password');
    await n.page.getByRole('button', { name: 'Create my shop' }).click();
    // The API's own words, under the field they are about.
    await n.page.locator('#su-phone-error').waitFor();
    await n.page.getByLabel('Phone number').fill('0712 000 111');
    await n.page.getByRole('button', { name: 'Create my shop' }).click();
    await n.page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await n.page.getByText('Mama Mboga Fresh').first().waitFor();
    const me = await server.t.http.post('/api/auth/login').send({ email, password: 'a-long-password' }).expect(200);
    expect(me.body).toMatchObject({
      user: { role: 'OWNER' },
      seller: { storeName: 'Mama Mboga Fresh', phone: '+254712000111' },
    });
    await n.context.close();
  });

  it('a VIEWER sees no write control on any screen, and is never refused by the API', async () => {
    const viewer = await member('VIEWER');
    const v = await newContext(browser, server.base, DESKTOP);
    const refused = refusals(v.page);
    await signInDashboard(v.page, viewer.email, viewer.password);
    const found: Record<string, string[]> = {};
    for (const [name, route] of screens()) {
      await open(v.page, route);
      found[name] = await writeControls(v.page);
    }
    expect(found).toEqual(Object.fromEntries(screens().map(([name]) => [name, []])));
    await open(v.page, '/settings');
    expect(await v.page.getByRole('link', { name: /Staff|Audit log/ }).count()).toBe(0);
    await v.page.getByText('You are signed in as a viewer').waitFor();
    // Their own password is theirs to change (the owner set the first one): the API takes it from a VIEWER.
    await v.page.getByRole('link', { name: /Your password/ }).click();
    await v.page.getByLabel('Current password').fill(viewer.password);
    await v.page.getByLabel('New password').fill('viewer-own-new-password');
    await v.page.getByRole('button', { name: 'Change password' }).click();
    await v.page.getByText('Password changed.').waitFor();
    await server.t.http
      .post('/api/auth/login')
      .send({ email: viewer.email, password: 'viewer-own-new-password' })
      .expect(200);
    expect(refused).toEqual([]);
    await v.context.close();
  });

  it('a MANAGER moves orders and edits products, but sees no owner-only setting', async () => {
    const manager = await member('MANAGER');
    const m = await newContext(browser, server.base, DESKTOP);
    const refused = refusals(m.page);
    await signInDashboard(m.page, manager.email, manager.password);
    await open(m.page, `/orders/${orderId}`);
    await m.page.getByRole('button', { name: 'Confirm order' }).waitFor();
    await open(m.page, '/products');
    await m.page.getByRole('link', { name: 'Add product' }).waitFor();
    await open(m.page, '/settings');
    expect(await m.page.getByRole('link', { name: /Staff|Audit log/ }).count()).toBe(0);
    await open(m.page, '/settings/shop');
    expect(await writeControls(m.page)).toEqual([]);
    // The address the shop's own website reads its products from.
    await m.page.getByText(`${server.base}/api/storefront/${owner.storeSlug}/products`).waitFor();
    await open(m.page, '/endpoints');
    await m.page.getByText('You are signed in as a manager').waitFor();
    expect(refused).toEqual([]);
    await m.context.close();
  });

  it.each([
    ['360', PHONE],
    ['1280', DESKTOP],
  ] as const)(
    'the owner’s whole app at %s px: every screen, no sideways scroll, axe clean',
    async (width, viewport) => {
      const o = await newContext(browser, server.base, viewport);
      await signInDashboard(o.page, owner.email, owner.password);
      for (const [name, route, heading] of screens()) {
        await open(o.page, route);
        await o.page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await checkDashboardScreen(o.page, `${name}-${width}`, problems);
      }
      for (const [name, route] of [
        ['staff', '/settings/staff'],
        ['audit', '/settings/audit'],
      ]) {
        await open(o.page, route);
        await checkDashboardScreen(o.page, `${name}-${width}`, problems);
      }
      await o.context.close();
    },
  );

  it('the whole app in Kiswahili at 360 px: every word from the sw catalogue, the choice remembered', async () => {
    const en = catalogue('en');
    const sw = catalogue('sw');
    expect(Object.keys(sw).sort()).toEqual(Object.keys(en).sort());
    // English words that must not be left on a Kiswahili screen: every entry the two languages say differently.
    const english = new Set(
      Object.keys(en)
        .filter((k) => en[k] !== sw[k] && !en[k].includes('{'))
        .map((k) => en[k]),
    );
    const k = await newContext(browser, server.base, PHONE);
    await k.page.goto('/dashboard');
    await k.page.getByLabel('Language').selectOption('sw');
    await k.page.getByRole('heading', { level: 1, name: 'Ingia kwenye duka lako' }).waitFor();
    await k.page.getByLabel('Barua pepe').fill(owner.email);
    await k.page.getByLabel('Nenosiri').fill(owner.password);
    await k.page.getByRole('button', { name: 'Ingia' }).click();
    await k.page.getByRole('heading', { level: 1, name: 'Oda' }).waitFor();
    expect(await k.page.evaluate(() => document.documentElement.lang)).toBe('sw');
    const leftovers: Record<string, string[]> = {};
    for (const [name, route] of screens()) {
      await open(k.page, route);
      const lines = (await k.page.locator('body').innerText()).split('\n').map((l) => l.trim());
      leftovers[name] = lines.filter((l) => english.has(l));
      await checkDashboardScreen(k.page, `sw-${name}-360`, problems);
    }
    expect(leftovers).toEqual(Object.fromEntries(screens().map(([name]) => [name, []])));
    // Remembered on this phone: a fresh load opens in Kiswahili.
    await k.page.reload();
    await k.page.getByRole('navigation', { name: 'Sehemu' }).getByRole('link', { name: 'Bidhaa' }).waitFor();
    // Money and dates in Kenyan forms.
    await open(k.page, `/orders/${orderId}`);
    expect(await k.page.locator('main').innerText()).toContain('KES 950');
    expect(await k.page.locator('.timeline').innerText()).toMatch(/EAT/);
    await k.context.close();
  });

  it('works with the keyboard alone: sections, an order, its move', async () => {
    const o = await newContext(browser, server.base, DESKTOP);
    await signInDashboard(o.page, owner.email, owner.password);
    // Orders the shop had before the inbox opened are not "new", whichever filter shows them.
    await o.page.locator('a.row-link').first().waitFor();
    await o.page.getByRole('button', { name: 'Pending', exact: true }).click();
    await o.page.locator('a.row-link').first().waitFor();
    expect(await o.page.locator('.row.fresh').count()).toBe(0);
    await o.page.getByRole('button', { name: 'All', exact: true }).click();
    await tabTo(o.page, 'a.row-link', 'SKH-');
    await o.page.keyboard.press('Enter');
    await o.page.getByRole('heading', { level: 1, name: /^Order SKH-/ }).waitFor();
    await tabTo(o.page, 'button', 'Confirm order');
    await o.page.keyboard.press('Enter');
    await o.page.getByText('The order is now Confirmed.').waitFor();
    await tabTo(o.page, 'nav.tabs a', 'Products');
    await o.page.keyboard.press('Enter');
    await o.page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await tabTo(o.page, 'a.button', 'Add product');
    await o.page.keyboard.press('Enter');
    await o.page.getByRole('heading', { level: 1, name: 'New product' }).waitFor();
    await o.context.close();
  });

  it('the owner adds, promotes and removes staff, entering the password again when the API asks', async () => {
    const o = await newContext(browser, server.base, PHONE);
    await signInDashboard(o.page, owner.email, owner.password);
    await open(o.page, '/settings');
    await o.page.getByRole('link', { name: /Staff/ }).click();
    await o.page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
    // Past the sudo window: the API wants the password again, and the app asks for it instead of showing a 403.
    await new Promise((r) => setTimeout(r, 3_500));
    await o.page.getByLabel('Email').fill('juma@example.co.ke');
    await o.page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await o.page.getByLabel('First password').fill('juma-password-1');
    await o.page.getByRole('button', { name: 'Add to staff' }).click();
    await o.page.getByRole('heading', { name: 'Enter your password again' }).waitFor();
    await o.page.locator('dialog[open]').getByLabel('Password').fill(owner.password);
    await o.page.getByRole('button', { name: 'Continue' }).click();
    await o.page.getByText('juma@example.co.ke can now sign in.').waitFor();
    await o.page.getByLabel('Role of juma@example.co.ke').selectOption('MANAGER');
    await o.page.getByText('Role changed.').waitFor();
    const staff = await server.t.http.get('/api/staff').set('Cookie', owner.cookie).expect(200);
    expect(staff.body.find((m: { email: string }) => m.email === 'juma@example.co.ke')?.role).toBe('MANAGER');
    await checkDashboardScreen(o.page, 'staff-flow-360', problems);
    await o.page.locator('li', { hasText: 'juma@example.co.ke' }).getByRole('button', { name: 'Remove' }).click();
    await o.page.locator('dialog[open]').getByRole('button', { name: 'Remove' }).click();
    await o.page.getByText('juma@example.co.ke was removed.').waitFor();
    // Every change is in the audit log, which the owner reads here too.
    await open(o.page, '/settings/audit');
    expect(await o.page.locator('.row.audit code').allTextContents()).toEqual(
      expect.arrayContaining(['staff.added', 'staff.removed']),
    );
    await o.context.close();
  });

  it('sign out everywhere ends every session of the seller, not only this one', async () => {
    const other = await member('MANAGER');
    const phone = await newContext(browser, server.base, PHONE);
    await signInDashboard(phone.page, other.email, other.password);
    await open(phone.page, '/settings');
    await phone.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await phone.page.locator('dialog[open]').getByRole('button', { name: 'Sign out everywhere' }).click();
    await phone.page.getByRole('heading', { level: 1, name: 'Sign in to your shop' }).waitFor();
    // The member's other session (the API client's cookie) is over too.
    await server.t.http.get('/api/auth/me').set('Cookie', other.cookie).expect(401);
    await phone.context.close();
  });

  it('found nothing serious with axe and nothing wider than the screen', () => {
    expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((k) => [k, []])));
  });
});
