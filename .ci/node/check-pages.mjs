// Checks HTML pages in a real headless Chromium, as a reader would open them (tests/publish/).
//   node check-pages.mjs CHROMIUM PAGE.html...
// For each page: axe-core's WCAG 2.2 AA rules (violations) and its best practices, at 1280 px;
// then, at a phone's 390 px, whether anything is wider than the screen (the page would scroll
// sideways). Prints one JSON object: {axe, pages: [{page, wcag, pratiques, debordements}]}.
// CDP over a pipe (puppeteer's `pipe: true`): no TCP port, works without any network.
import puppeteer from "puppeteer-core";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [chromium, ...pages] = process.argv.slice(2);
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const browser = await puppeteer.launch({
  executablePath: chromium, headless: true, pipe: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const summary = (violations) => violations.map((v) => ({
  id: v.id, impact: v.impact, aide: v.help, cibles: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
}));
try {
  const out = [];
  let version = null;
  for (const file of pages) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: "load" });
    await page.addScriptTag({ path: axePath });
    const wcag = await page.evaluate(async (tags) => await axe.run(document, {
      runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), WCAG);
    const practices = await page.evaluate(async () => await axe.run(document, {
      runOnly: { type: "tag", values: ["best-practice"] }, resultTypes: ["violations"] }));
    version = wcag.testEngine.version;
    await page.setViewport({ width: 390, height: 844, isMobile: true, deviceScaleFactor: 1 });
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll("body *")].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.right > width + 1 && !el.closest("[role=region]");
      });
      return { largeur: width, page: document.documentElement.scrollWidth,
               elements: wide.slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")) };
    });
    out.push({ page: file, wcag: summary(wcag.violations), pratiques: summary(practices.violations),
               debordements: overflow.page > overflow.largeur ? overflow.elements : [] });
    await page.close();
  }
  console.log(JSON.stringify({ axe: version, pages: out }));
} finally {
  await browser.close();
}
