// Drives Debian's chromium (headless, through playwright-core) through the
// gateway's dashboard: spread rows appear and change, the chart draws, a
// stopped gateway shows as disconnected and a restarted one reconnects by
// itself. Talks to the shell test on stdout: it prints STOP-GATEWAY and
// waits for the page to go down, prints DOWN-SEEN and waits for it to come
// back. Screenshots go to OUTDIR.
//   node dashboard.mjs URL OUTDIR
import { chromium } from 'playwright-core';

const [url, outdir] = process.argv.slice(2);
const say = (s) => console.log(s);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  page.on('console', (m) => say('console: ' + m.text()));
  await page.goto(url);
  // both symbols: the first update of one may come a moment after the other's
  await page.waitForSelector('#spreads tbody tr[data-symbol="BTC-USDT"]', { timeout: 10000 });
  await page.waitForSelector('#spreads tbody tr[data-symbol="ETH-USDT"]', { timeout: 10000 });
  const rows = await page.$$eval('#spreads tbody tr', (trs) => trs.map((tr) => tr.dataset.symbol));
  say('ROWS ' + rows.join(','));

  // values change within a few seconds: the whole table's text, then again
  const tableText = () => page.$eval('#spreads tbody', (b) => b.innerText);
  const before = await tableText();
  await page.waitForFunction((t) => document.querySelector('#spreads tbody').innerText !== t, before, { timeout: 5000 });
  say('CHANGED');

  // the chart has drawn: points recorded and pixels of the live line's colour
  await page.waitForFunction(() => Number(document.getElementById('chart').dataset.points) >= 2, null, { timeout: 5000 });
  const blue = await page.$eval('#chart', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 200 && d[i] < 120 && d[i + 3] > 200) n++;
    return n;
  });
  if (blue < 20) throw new Error('chart: only ' + blue + ' pixels of the live line');
  say('CHART ' + blue);
  await page.screenshot({ path: outdir + '/dashboard.png' });

  say('STOP-GATEWAY');
  await page.waitForSelector('body[data-conn="down"]', { timeout: 15000 });
  say('DOWN-SEEN ' + (await page.$eval('#conn-detail', (e) => e.textContent)));
  await page.screenshot({ path: outdir + '/dashboard-disconnected.png' });
  await page.waitForSelector('body[data-conn="live"]', { timeout: 30000 });
  const again = await tableText();
  await page.waitForFunction((t) => document.querySelector('#spreads tbody').innerText !== t, again, { timeout: 10000 });
  say('RECONNECTED');
  await page.screenshot({ path: outdir + '/dashboard-reconnected.png' });
} catch (e) {
  failed = true;
  say('ERROR ' + e.message);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
