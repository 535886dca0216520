// Checks every screen a test walks through: nothing scrolls or sticks out sideways, axe-core
// finds no serious or critical accessibility violation, and a screenshot is kept (in /tmp/shots;
// and, for `npm run screenshots`, the README's pictures in docs/screenshots/).
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });
/** Set by `npm run screenshots`: the README's pictures are written here. */
const README_SHOTS = process.env.README_SHOTS;

/** Elements that stick out past the right edge of the viewport (outside any sideways-scrolling box). */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const out: { el: Element; d: string }[] = [];
    if (document.documentElement.scrollWidth > innerWidth)
      out.push({ el: document.documentElement, d: `page scrollWidth ${document.documentElement.scrollWidth} > ${innerWidth}` });
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      // Text that runs past its own box (a long word that does not wrap) counts too.
      const textRight = getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0 ? r.left + el.scrollWidth : r.right;
      if (r.width === 0 || r.height === 0 || Math.max(r.right, textRight) <= W + 1) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.position === 'fixed') continue;
      let p = el.parentElement;
      let scrolls = false;
      for (; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') scrolls = true;
      }
      // A box that scrolls sideways is a sideways scroll too, unless it is the timeline's virtual list.
      if (scrolls && el.closest('[data-testid="timeline"]')) continue;
      if (out.some((o) => o.el.contains(el))) continue;
      out.push({
        el,
        d: `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> right ${Math.round(r.right)} > ${W}: "${(el.textContent ?? '').slice(0, 50)}"`,
      });
    }
    return out.map((o) => o.d);
  });
}

/** axe-core violations of impact serious or critical, as readable lines. */
export async function seriousA11y(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/** Every check for one screen; `readme` names the README picture this screen is (if any). */
export async function checkScreen(page: Page, name: string, opts: { readme?: string; fullPage?: boolean } = {}): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  await page.evaluate(() => document.fonts.ready);
  expect(await sidewaysOverflow(page), `${name} at ${width} px: nothing sticks out sideways`).toEqual([]);
  expect(await seriousA11y(page), `${name} at ${width} px: axe-core, serious or critical`).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `screen-${width}-${name}.png`), fullPage: opts.fullPage ?? false });
  if (README_SHOTS && opts.readme) {
    // The README shows the whole page from its top, as a newcomer first sees it.
    mkdirSync(README_SHOTS, { recursive: true });
    const y = await page.evaluate(() => scrollY);
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: join(README_SHOTS, `${opts.readme}.png`), fullPage: true });
    await page.evaluate((y) => scrollTo(0, y), y);
  }
}
