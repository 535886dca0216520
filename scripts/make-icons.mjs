#!/usr/bin/env node
// Renders the app's PNG icons from public/icon.svg with Debian's Chromium (the browser the e2e
// tests drive; nothing is downloaded): 192 and 512 px as drawn, and a maskable 512 px one whose
// mark sits inside the central safe zone (80%) on a full-bleed background, for launchers that
// crop icons to a circle or a squircle. Usage: node scripts/make-icons.mjs (writes public/*.png)
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';

const svg = readFileSync('public/icon.svg', 'utf8');
const markOnly = svg.replace(/<rect [^>]*\/>/, ''); // the check mark without its rounded tile
const background = /<rect [^>]*fill="([^"]+)"/.exec(svg)?.[1] ?? '#1f3a5f';
const page = (size, body, bg = 'transparent') =>
  `<!doctype html><html><body style="margin:0;width:${size}px;height:${size}px;background:${bg};display:grid;place-items:center">${body}</body></html>`;
const sized = (s, px) => s.replace('<svg ', `<svg width="${px}" height="${px}" `);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [file, size, html] of [
  ['public/icon-192.png', 192, page(192, sized(svg, 192))],
  ['public/icon-512.png', 512, page(512, sized(svg, 512))],
  // Safe zone: a circle of 40% radius; the mark, drawn in a tile of 80% of the icon, spans about 35% of it and stays well inside it.
  ['public/icon-maskable-512.png', 512, page(512, sized(markOnly, Math.round(512 * 0.8)), background)],
]) {
  const p = await browser.newPage({ viewport: { width: size, height: size } });
  await p.setContent(html);
  await p.screenshot({ path: file, omitBackground: true });
  await p.close();
  console.log(`wrote ${file}`);
}
await browser.close();
