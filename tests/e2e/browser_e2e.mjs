// claimgate's browser end-to-end test (issue 5): a real IdP (Debian's SimpleSAMLphp under
// apache2 + mod_php), `claimgate serve`, and Debian's chromium driven headless by playwright-core,
// all on loopback ports of this machine. Scenarios:
//   1. SP-initiated: /saml/acme/login → the IdP's login form → the ACS page shows the mapped worker
//      attributes and the user is created;
//   2. IdP-initiated sign-on into the same connection (the IdP session of 1 is reused; the IdP
//      signs the Response as well as the Assertion);
//   3. the IdP changes the user's attributes: a fresh login updates the stored user;
//   4. /admin with the bearer token lists the user and exactly the three login rows; a screenshot
//      is taken and its pixels are checked (three green "accepted" rows, no red one);
//   5. a user outside the connection's enforced domains is refused: 403, the code on the page, a
//      fourth (red) audit row, nobody provisioned;
//   6. login CSRF: an IdP answer obtained in the attacker's browser and auto-posted from the
//      victim's is refused (the request is bound to the browser that started it by a cookie);
//   7. the hand-off: the connection gets a product.callback_url, a tiny product backend (a Node
//      http server started by this test) receives the browser with a one-use code, redeems it
//      over the back channel with the API token and shows the signed-in worker on its own page;
//      reloading the callback (a second redeem) shows the refusal handoff.code_used.
// Each step also reads claimgate's own state through the CLI (users show, audit verify), so a page
// that merely looks right cannot pass. The test starts and stops its own servers and checks that
// none is left running.
//
// Along the way: the IdP is configured from claimgate's SP metadata, claimgate signs its
// AuthnRequests and SimpleSAMLphp verifies them (and refuses an altered or missing signature).
//
// Usage: node browser_e2e.mjs --claimgate BUILD/claimgate [--out DIR] [--keep]
//   --out DIR   where the screenshots go (default: the temporary directory, removed on success)
//   --keep      keep the temporary directory (configs, logs, database) even on success
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { SimpleSamlPhpIdp, checkInstalled } from './idp.mjs';
import { colourBands, readPng } from './png.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CONNECTION = 'acme';

function parseArgs(argv) {
  const a = { claimgate: null, out: null, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--claimgate') a.claimgate = argv[++i];
    else if (argv[i] === '--out') a.out = argv[++i];
    else if (argv[i] === '--keep') a.keep = true;
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log('usage: node browser_e2e.mjs --claimgate PATH [--out DIR] [--keep]');
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!a.claimgate) throw new Error('--claimgate PATH is required');
  a.claimgate = path.resolve(a.claimgate);
  return a;
}

let checks = 0;
function check(cond, what, detail = '') {
  if (!cond) throw new Error(`FAILED: ${what}${detail ? `\n  ${detail}` : ''}`);
  checks++;
  console.log(`  ok ${checks} - ${what}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// --- the SP side: claimgate's CLI and `claimgate serve` -----------------------------------------

class Claimgate {
  constructor(bin, dir) {
    this.bin = bin;
    this.dir = dir;
    this.db = path.join(dir, 'claimgate.db');
    this.proc = null;
    this.output = '';
  }

  cli(args, { allowFail = false } = {}) {
    try {
      return execFileSync(this.bin, ['--db', this.db, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if (allowFail) return e.stdout;
      throw new Error(`claimgate ${args.join(' ')} failed (${e.status}): ${e.stderr}${e.stdout}`);
    }
  }

  async serve(port, tokenFile, apiTokenFile) {
    this.base = `http://127.0.0.1:${port}`;
    this.proc = spawn(this.bin, ['--db', this.db, 'serve', '--listen', `127.0.0.1:${port}`,
      '--public-url', this.base, '--admin-token-file', tokenFile, '--api-token-file', apiTokenFile],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [this.proc.stdout, this.proc.stderr]) s.on('data', (b) => { this.output += b; });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 15000;
    for (;;) {
      try {
        const r = await fetch(`${this.base}/healthz`);
        if (r.ok) return;
      } catch { /* not listening yet */ }
      if (this.proc.exitCode !== null || Date.now() > deadline) {
        throw new Error(`claimgate serve did not start:\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return null;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10000);
    const how = await this.exited;
    clearTimeout(timer);
    return how;
  }
}

// --- the test -------------------------------------------------------------------------------------

// SimpleSAMLphp with its user store; its metadata is what the connection trusts.
async function startIdp(t) {
  const { idp } = t;
  mkdirSync(idp.dir);
  idp.configure();
  const ada = {
    password: 'correct-horse-' + randomBytes(4).toString('hex'),
    attributes: {
      uid: ['ada'],
      email: ['Ada@Acme.example'],
      displayName: ['Ada Lovelace'],
      roles: ['agent, supervisor, astronaut'],
      image_url: ['https://img.acme.example/ada.png'],
      department: ['Analytical Engines'],
    },
  };
  idp.setUsers({ ada });
  await idp.start((text) => process.stderr.write(text));
  check(idp.metadataXml.includes(idp.entityId), 'SimpleSAMLphp serves its IdP metadata');
  t.ada = ada;
}

// The connection (the IdP's metadata as published, the flex profile, an SP signing key),
// the SP metadata handed to the IdP, and `claimgate serve` with an admin token.
async function startSp(t) {
  const { dir, idp, sp } = t;
  const spPort = await freePort();
  const spBase = `http://127.0.0.1:${spPort}`;
  writeFileSync(path.join(dir, 'idp-metadata.xml'), idp.metadataXml);
  // The SP's own key: claimgate signs its AuthnRequests, and the IdP (which learns the
  // certificate from claimgate's SP metadata, AuthnRequestsSigned="true") refuses unsigned ones.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
    '-subj', '/CN=claimgate e2e SP', '-keyout', path.join(dir, 'sp.key'), '-out', path.join(dir, 'sp.pem')],
  { stdio: 'ignore' });
  const connection = {
    name: CONNECTION,
    profile: 'flex',
    sp: {
      entity_id: `${spBase}/saml/${CONNECTION}`, acs_url: `${spBase}/saml/${CONNECTION}/acs`,
      signing_key_file: 'sp.key', signing_certificate_file: 'sp.pem',
    },
    idp: { metadata_file: 'idp-metadata.xml' },
    security: { require_signed_assertion: true, allow_idp_initiated: true, clock_skew_seconds: 120 },
    provisioning: {
      mode: 'jit', default_permissions: ['agent'], enforced_domains: ['acme.example'],
      attribute_policy: { roles: 'always', image_url: 'on_create' },
    },
    relay_state_allow_list: [`${spBase}/healthz`],
  };
  writeFileSync(path.join(dir, 'connection.json'), JSON.stringify(connection, null, 2));
  sp.cli(['connection', 'add', path.join(dir, 'connection.json')]);
  // The IdP learns about the SP from the SP metadata claimgate prints.
  const spMetadata = sp.cli(['sp-metadata', '--connection', CONNECTION]);
  writeFileSync(idp.spMetadataFile, spMetadata);
  const token = randomBytes(24).toString('hex');
  writeFileSync(path.join(dir, 'admin-token'), token + '\n', { mode: 0o600 });
  // The product backends' token for the hand-off redeem (step 7).
  const apiToken = randomBytes(24).toString('hex');
  writeFileSync(path.join(dir, 'api-token'), apiToken + '\n', { mode: 0o600 });
  await sp.serve(spPort, path.join(dir, 'admin-token'), path.join(dir, 'api-token'));
  const served = await (await fetch(`${spBase}/saml/${CONNECTION}/metadata`)).text();
  check(served === spMetadata, 'GET /saml/acme/metadata serves what `claimgate sp-metadata` prints');
  check(spMetadata.includes('AuthnRequestsSigned="true"') && spMetadata.includes('<md:KeyDescriptor use="signing">'),
    'the SP metadata announces signed AuthnRequests with the SP certificate');
  Object.assign(t, { spBase, connection, token, apiToken });
}

// The signed redirect, checked by the IdP: an altered or missing signature is refused there.
async function signedRequests(t) {
  const { idp, spBase } = t;
  const start = await fetch(`${spBase}/saml/${CONNECTION}/login`, { redirect: 'manual' });
  const location = start.headers.get('location') || '';
  check(start.status === 302 && /[?&]SigAlg=[^&]+&Signature=[^&]+$/.test(location),
    'GET /saml/acme/login redirects with SigAlg and Signature', location.slice(0, 200));
  const sigAt = location.indexOf('&Signature=') + '&Signature='.length;
  const flipped = location.slice(0, sigAt) + (location[sigAt] === 'A' ? 'B' : 'A') + location.slice(sigAt + 1);
  const forged = await fetch(flipped, { redirect: 'manual' });
  const forgedText = await forged.text();
  // (SimpleSAMLphp 1.19 answers its error page with status 200: the text is what tells.)
  check(forgedText.includes('Unable to validate signature on query string'),
    'the IdP refuses the AuthnRequest when its signature is altered', `${forged.status} ${forgedText.slice(0, 300)}`);
  const noSig = await (await fetch(location.slice(0, location.indexOf('&SigAlg=')), { redirect: 'manual' })).text();
  check(noSig.includes('no signature found on message'), 'the IdP refuses the AuthnRequest without its signature',
    noSig.slice(0, 300));
  const genuine = await fetch(location, { redirect: 'manual' });
  check(genuine.status === 302 && !(await genuine.text()).includes('Unhandled exception'),
    'the IdP takes the genuine signed AuthnRequest (on to its login)', String(genuine.status));
}

// Headless Debian chromium; every claimgate page the first tab loads is recorded.
async function openBrowser(t) {
  const { spBase } = t;
  const browser = await t.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  t.browser = browser;  // closed by tearDown even if a later line of this step fails
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const seenStatuses = [];
  page.on('response', (r) => { if (r.url().startsWith(`${spBase}/saml/`)) seenStatuses.push(`${r.status()} ${r.url().split('?')[0]}`); });
  Object.assign(t, { context, page, seenStatuses });
}

// 1. SP-initiated sign-on.
async function spInitiated(t) {
  const { idp, sp, spBase, ada, page } = t;
  console.log('# 1. SP-initiated sign-on');
  await page.goto(`${spBase}/saml/${CONNECTION}/login`);
  check(page.url().startsWith(`${idp.base}/`), 'GET /saml/acme/login redirects the browser to the IdP', page.url());
  await page.fill('input[name="username"]', 'ada');
  await page.fill('input[name="password"]', ada.password);
  await Promise.all([
    page.waitForURL(`${spBase}/saml/${CONNECTION}/acs`, { timeout: 20000 }),
    page.click('button[type="submit"], input[type="submit"], #submit_button'),
  ]);
  await page.waitForSelector('h1');
  let title = await page.textContent('h1');
  check(title === 'Signed in', 'the IdP posts to the ACS and the sign-in is accepted', `${title}: ${await page.textContent('body')}`);
  const worker = async () => Object.fromEntries(await page.$$eval('#worker tr', (rows) => rows.slice(1)
    .map((r) => [r.cells[0].textContent, r.cells[1].textContent])));
  let w = await worker();
  check(w.full_name === 'Ada Lovelace', 'the page shows full_name mapped from displayName', JSON.stringify(w));
  check(w.email === 'ada@acme.example', 'the page shows email, lowercased by the flex profile', JSON.stringify(w));
  check(w.roles === 'agent, supervisor', 'the page shows roles split, with the unknown role dropped', JSON.stringify(w));
  check(w.image_url === 'https://img.acme.example/ada.png', 'the page shows image_url', JSON.stringify(w));
  check(w.department === 'Analytical Engines', 'the page shows department passed through', JSON.stringify(w));
  check((await page.textContent('body')).includes('(created)'), 'the page says the user was created');
  let user = JSON.parse(sp.cli(['users', 'show', '--connection', CONNECTION, 'Ada@Acme.example']));
  check(JSON.stringify(user.permissions) === '["agent"]', 'the stored user has the default permissions', JSON.stringify(user));
  check(JSON.stringify(user.attributes.roles) === '["agent","supervisor"]', 'the stored user has the mapped roles', JSON.stringify(user));
}

// 2. IdP-initiated sign-on, in the same browser: the IdP session of 1 signs in without a form.
// This time the IdP signs the Response too: both signatures are verified.
async function idpInitiated(t) {
  const { dir, idp, sp, spBase, connection, page } = t;
  console.log('# 2. IdP-initiated sign-on (Response and Assertion signed)');
  idp.setSignResponse(true);
  const [post] = await Promise.all([
    page.waitForRequest((q) => q.url() === `${spBase}/saml/${CONNECTION}/acs` && q.method() === 'POST', { timeout: 20000 }),
    page.waitForURL(`${spBase}/saml/${CONNECTION}/acs`, { timeout: 20000 }),
    page.goto(idp.unsolicitedUrl(connection.sp.entity_id)),
  ]);
  idp.setSignResponse(false);
  const posted = Buffer.from(new URLSearchParams(post.postData()).get('SAMLResponse'), 'base64').toString('utf8');
  check((posted.match(/<ds:Signature[ >]/g) || []).length === 2 && !posted.includes('InResponseTo='),
    'the IdP posted an unsolicited response with two signatures (Response and Assertion)');
  // The same bytes, offline: xmlsec1 (the reference verifier) and `claimgate verify` agree.
  const postedFile = path.join(dir, 'idp-initiated-response.xml');
  writeFileSync(postedFile, posted);
  let xmlsecOk = true;
  try {
    execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', path.join(idp.dir, 'cert/idp.pem'),
      '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response',
      '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion', postedFile], { stdio: 'ignore' });
  } catch { xmlsecOk = false; }
  check(xmlsecOk, 'xmlsec1 verifies the Response signature of the real IdP');
  const offline = JSON.parse(execFileSync(sp.bin, ['verify', '--idp-metadata', path.join(dir, 'idp-metadata.xml'),
    '--sp-entity-id', connection.sp.entity_id, '--acs-url', connection.sp.acs_url,
    '--require-signed-response', '--require-signed-assertion', postedFile], { encoding: 'utf8' }));
  check(offline.decision === 'accepted' && offline.signed.response && offline.signed.assertion,
    '`claimgate verify` accepts it offline with both signatures required', JSON.stringify(offline).slice(0, 300));
  await page.waitForSelector('h1');
  const title = await page.textContent('h1');
  check(title === 'Signed in', 'an unsolicited response from the IdP is accepted (allow_idp_initiated)', await page.textContent('body'));
  check((await page.textContent('body')).includes('(unchanged)'), 'the second login leaves the user unchanged');
}

// 3. The IdP changes the user's attributes; a fresh browser session logs in again.
async function attributeChange(t) {
  const { idp, sp, spBase, ada, browser } = t;
  console.log('# 3. a changed attribute updates the user');
  ada.attributes.displayName = ['Ada King, Countess of Lovelace'];
  ada.attributes.roles = ['admin,agent'];
  ada.attributes.image_url = ['https://img.acme.example/ada-2.png'];
  idp.setUsers({ ada });
  const context2 = await browser.newContext();
  const page2 = await context2.newPage();
  await page2.goto(`${spBase}/saml/${CONNECTION}/login?relay_state=${encodeURIComponent(`${spBase}/healthz`)}`);
  await page2.fill('input[name="username"]', 'ada');
  await page2.fill('input[name="password"]', ada.password);
  await Promise.all([
    page2.waitForURL(`${spBase}/healthz`, { timeout: 20000 }),
    page2.click('button[type="submit"], input[type="submit"], #submit_button'),
  ]);
  check(page2.url() === `${spBase}/healthz`, 'the accepted login redirects to the allow-listed RelayState', page2.url());
  const user = JSON.parse(sp.cli(['users', 'show', '--connection', CONNECTION, 'Ada@Acme.example']));
  check(user.attributes.full_name[0] === 'Ada King, Countess of Lovelace', 'the stored full_name follows the IdP', JSON.stringify(user));
  check(JSON.stringify(user.attributes.roles) === '["admin","agent"]', 'the stored roles follow the IdP (policy always)', JSON.stringify(user));
  check(user.attributes.image_url[0] === 'https://img.acme.example/ada.png', 'image_url is kept (policy on_create)', JSON.stringify(user));
  await context2.close();
}

// 4. The admin page with the token: the DOM, the screenshot's pixels and the audit chain.
async function adminView(t) {
  const { out, sp, spBase, token, browser, seenStatuses } = t;
  console.log('# 4. the admin page');
  const denied = await fetch(`${spBase}/admin`);
  check(denied.status === 401, '/admin without the token is refused with 401', String(denied.status));
  const admin = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    extraHTTPHeaders: { Authorization: `Bearer ${token}` },
  });
  const adminPage = await admin.newPage();
  // Logins only: connection.add/update rows (DESIGN.md "Audit integrity") are checked below.
  const r = await adminPage.goto(`${spBase}/admin?connection=${CONNECTION}&event=login`);
  check(r.status() === 200, '/admin with the token answers 200', String(r.status()));
  const users = await adminPage.$$eval('#users tr', (rows) => rows.slice(1).map((row) => [...row.cells].map((c) => c.textContent)));
  check(users.length === 1 && users[0][1] === 'Ada@Acme.example', 'the admin page lists the one provisioned user', JSON.stringify(users));
  const audit = await adminPage.$$eval('#audit tr', (rows) => rows.slice(1).map((row) => [...row.cells].map((c) => c.textContent)));
  check(audit.length === 3, 'the admin page lists exactly three audit rows', JSON.stringify(audit));
  check(audit.every((row) => row[3] === 'login' && row[4] === 'accepted' && row[6] === 'Ada@Acme.example'),
    'the three rows are accepted logins of ada', JSON.stringify(audit));
  const shot = path.join(out, 'admin.png');
  await adminPage.screenshot({ path: shot, fullPage: true });
  const img = readPng(readFileSync(shot));
  check(img.width === 1280 && img.height >= 200, 'the screenshot has the viewport width', `${img.width}x${img.height}`);
  const green = colourBands(img, [0xd4, 0xf7, 0xd4]);
  const red = colourBands(img, [0xf9, 0xd0, 0xd0]);
  check(green.length === 3, 'the screenshot shows three green "accepted" rows', `bands at y=${green}`);
  check(red.length === 0, 'the screenshot shows no red row', `bands at y=${red}`);
  const verify = JSON.parse(sp.cli(['audit', 'verify', '--json']));
  const all = sp.cli(['audit', 'list', '--json']).trim().split('\n').map((l) => JSON.parse(l));
  const logins = all.filter((row) => row.event === 'login');
  const others = all.filter((row) => row.event !== 'login');
  check(logins.length === 3 && others.length >= 1 && others.every((row) => row.event.startsWith('connection.') && row.actor.startsWith('cli:')),
    'the trail holds the three logins and the connection changes, each naming its actor', JSON.stringify(all.map((row) => [row.event, row.actor])));
  check(verify.ok === true && verify.rows === all.length && /^[0-9a-f]{64}$/.test(verify.head),
    '`claimgate audit verify`: the chain holds every row and names its head', JSON.stringify(verify));
  const bad = seenStatuses.filter((s) => !/^(200|302|303) /.test(s));
  check(bad.length === 0, 'no claimgate page the browser loaded answered an error', bad.join(', '));
  Object.assign(t, { admin, adminPage, connectionRows: others.length });
}

// 5. A user the IdP vouches for but outside the connection's enforced domains is refused: the
// page names the code only, the admin page shows a red row, nobody is provisioned.
async function refusal(t) {
  const { out, idp, sp, spBase, ada, browser, adminPage } = t;
  console.log('# 5. a refused sign-in');
  idp.setUsers({ ada, mallory: { password: 'mallory-pw', attributes: {
    uid: ['mallory'], email: ['mallory@evil.example'], displayName: ['Mallory'], roles: ['admin'] } } });
  const context3 = await browser.newContext();
  const page3 = await context3.newPage();
  await page3.goto(`${spBase}/saml/${CONNECTION}/login`);
  await page3.fill('input[name="username"]', 'mallory');
  await page3.fill('input[name="password"]', 'mallory-pw');
  const [refusal] = await Promise.all([
    page3.waitForResponse(`${spBase}/saml/${CONNECTION}/acs`, { timeout: 20000 }),
    page3.click('button[type="submit"], input[type="submit"], #submit_button'),
  ]);
  check(refusal.status() === 403, 'the ACS answers 403', String(refusal.status()));
  await page3.waitForSelector('h1');
  const refusedText = await page3.textContent('body');
  check((await page3.textContent('h1')) === 'Sign-in refused' && refusedText.includes('provisioning.domain_not_allowed'),
    'the page names the refusal code and nothing more', refusedText);
  check(!refusedText.includes('evil.example'), 'the refusal page does not echo the claims', refusedText);
  await context3.close();
  await adminPage.reload();
  const audit2 = await adminPage.$$eval('#audit tr', (rows) => rows.slice(1).map((row) => [...row.cells].map((c) => c.textContent)));
  check(audit2.length === 4 && audit2[3][4] === 'rejected' && audit2[3][5] === 'provisioning.domain_not_allowed',
    'the admin page adds the rejected row with its code', JSON.stringify(audit2));
  const shot2 = path.join(out, 'admin-after-refusal.png');
  await adminPage.screenshot({ path: shot2, fullPage: true });
  const img2 = readPng(readFileSync(shot2));
  check(colourBands(img2, [0xd4, 0xf7, 0xd4]).length === 3 && colourBands(img2, [0xf9, 0xd0, 0xd0]).length === 1,
    'the second screenshot shows three green rows and one red row');
  const listed = sp.cli(['users', 'list', '--connection', CONNECTION]);
  check(!listed.includes('mallory'), 'the refused user was not provisioned', listed);
  const verify = JSON.parse(sp.cli(['audit', 'verify', '--json']));
  check(verify.ok === true && verify.rows === 4 + t.connectionRows, '`claimgate audit verify`: four logins (and the connection rows), chain intact', JSON.stringify(verify));
  await t.admin.close();
  await t.context.close();
}

// 6. Login CSRF (SECURITY.md F05): eve signs in at the IdP in her own browser, keeps the IdP's
// answer instead of delivering it, and has the victim's browser auto-post it to the ACS. The
// request was bound to eve's browser by a cookie, so the victim's post is refused and the request
// stays pending: eve's own browser can still use it.
async function loginCsrf(t) {
  const { idp, sp, spBase, ada, browser } = t;
  const acs = `${spBase}/saml/${CONNECTION}/acs`;
  idp.setUsers({ ada, eve: { password: 'eve-pw', attributes: {
    uid: ['eve'], email: ['eve@acme.example'], displayName: ['Eve'], roles: ['admin'] } } });
  const attacker = await browser.newContext();
  const ap = await attacker.newPage();
  let captured = null;
  await ap.route(acs, (route) => { captured = route.request().postData(); return route.abort(); });
  await ap.goto(`${spBase}/saml/${CONNECTION}/login`);
  const cookies = await attacker.cookies(acs);
  check(cookies.some((c) => c.name.startsWith('claimgate_authn__') && c.httpOnly && c.path === `/saml/${CONNECTION}/acs`),
    "/login set the HttpOnly binding cookie for the ACS path in eve's browser", JSON.stringify(cookies));
  await ap.fill('input[name="username"]', 'eve');
  await ap.fill('input[name="password"]', 'eve-pw');
  await ap.click('button[type="submit"], input[type="submit"], #submit_button');
  for (let i = 0; i < 200 && captured === null; i++) await new Promise((r) => setTimeout(r, 50));
  check(captured !== null && captured.includes('SAMLResponse='), "eve's browser was about to post the IdP's answer");
  const form = Object.fromEntries(new URLSearchParams(captured));
  const inputs = Object.entries(form).map(([k, v]) =>
    `<input type="hidden" name="${k}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`).join('');
  const victim = await browser.newContext();
  const vp = await victim.newPage();
  const [forced] = await Promise.all([
    vp.waitForResponse(acs, { timeout: 20000 }),
    vp.setContent(`<form method="post" action="${acs}">${inputs}</form><script>document.forms[0].submit()</script>`),
  ]);
  const forcedText = await forced.text();
  check(forced.status() === 403 && forcedText.includes('in_response_to.not_this_browser'),
    "the answer auto-posted from the victim's browser is refused (in_response_to.not_this_browser)",
    `${forced.status()} ${forcedText.slice(0, 200)}`);
  check(!sp.cli(['users', 'list', '--connection', CONNECTION]).includes('eve@'), 'eve was not provisioned by it');
  await victim.close();
  await ap.unroute(acs);
  const own = await attacker.request.post(acs, { form, maxRedirects: 0 });
  check(own.status() === 200 && (await own.text()).includes('Signed in'),
    "the request was left pending: eve's own browser, with its cookie, signs in", String(own.status()));
  const setCookie = own.headers()['set-cookie'] || '';
  check(/claimgate_authn__[0-9a-f]{40}=; .*Max-Age=0/.test(setCookie), 'and the cookie is cleared', setCookie);
  await attacker.close();
  const verify = JSON.parse(sp.cli(['audit', 'verify', '--json']));
  check(verify.ok === true && verify.rows === 6 + t.connectionRows, '`claimgate audit verify`: six logins (and the connection rows), chain intact', JSON.stringify(verify));
}

// --- a product behind claimgate (step 7) ---------------------------------------------------------

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// What a product's own backend does with the hand-off: GET /sso/callback?claimgate_code=CODE
// redeems the code at claimgate over the back channel (POST /api/v1/logins/redeem with the API
// token) and signs the worker in on its own page, or shows the refusal's code.
async function startProduct(spBase, apiToken) {
  const redeems = [];
  const server = createHttpServer(async (req, res) => {
    const url = new URL(req.url, 'http://product.invalid');
    if (url.pathname !== '/sso/callback') {
      res.writeHead(404).end('not found');
      return;
    }
    const r = await fetch(`${spBase}/api/v1/logins/redeem`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: url.searchParams.get('claimgate_code') || '' }),
    });
    const answer = await r.json();
    redeems.push({ status: r.status, answer });
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (r.status === 200) {
      const w = answer.worker;
      res.writeHead(200).end(`<!doctype html><title>Flex</title><h1>Welcome, ${escapeHtml(w.full_name)}</h1>`
        + `<p id="roles">Roles: ${escapeHtml((w.roles || []).join(', '))}</p>`
        + `<p id="permissions">Permissions: ${escapeHtml(answer.permissions.join(', '))}</p>`
        + `<p id="relay">Back to: ${escapeHtml(url.searchParams.get('relay_state') || '-')}</p>`);
    } else {
      res.writeHead(403).end(`<!doctype html><title>Flex</title><h1>Sign-in failed</h1>`
        + `<p id="error">${escapeHtml(answer.error?.code)}</p>`);
    }
  });
  const port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  return { server, redeems, base: `http://127.0.0.1:${port}` };
}

// 7. The hand-off: the connection now names the product's callback; a sign-in ends on the
// product's page with the worker, and the code works once.
async function productHandoff(t) {
  const { dir, idp, sp, spBase, ada, browser, connection, apiToken, token } = t;
  console.log('# 7. the hand-off to the product');
  t.product = await startProduct(spBase, apiToken);
  const callback = `${t.product.base}/sso/callback`;
  const withProduct = { ...connection, product: { callback_url: callback } };
  writeFileSync(path.join(dir, 'connection-product.json'), JSON.stringify(withProduct, null, 2));
  sp.cli(['connection', 'update', path.join(dir, 'connection-product.json')]);
  const shown = JSON.parse(sp.cli(['connection', 'show', CONNECTION]));
  check(JSON.stringify(shown).includes(callback), 'the stored connection keeps product.callback_url', JSON.stringify(shown).slice(0, 200));
  idp.setUsers({ ada });
  const context4 = await browser.newContext();
  const page4 = await context4.newPage();
  await page4.goto(`${spBase}/saml/${CONNECTION}/login?relay_state=${encodeURIComponent(`${spBase}/healthz`)}`);
  await page4.fill('input[name="username"]', 'ada');
  await page4.fill('input[name="password"]', ada.password);
  await Promise.all([
    page4.waitForURL((u) => String(u).startsWith(`${callback}?`), { timeout: 20000 }),
    page4.click('button[type="submit"], input[type="submit"], #submit_button'),
  ]);
  const landed = new URL(page4.url());
  check(/^[A-Za-z0-9_-]{43}$/.test(landed.searchParams.get('claimgate_code') || ''),
    'the accepted sign-in lands on the product callback with a 256-bit code', page4.url());
  check(landed.searchParams.get('relay_state') === `${spBase}/healthz`, 'the allow-listed RelayState comes along', page4.url());
  check((await page4.textContent('h1')) === 'Welcome, Ada King, Countess of Lovelace',
    "the product's page shows the signed-in worker's name", await page4.textContent('body'));
  check((await page4.textContent('#roles')) === 'Roles: admin, agent', "and the worker's roles", await page4.textContent('body'));
  check((await page4.textContent('#permissions')) === 'Permissions: agent', 'and the permissions', await page4.textContent('body'));
  const first = t.product.redeems[0];
  check(t.product.redeems.length === 1 && first.status === 200 && first.answer.connection === CONNECTION
    && first.answer.subject === 'Ada@Acme.example' && first.answer.email === 'ada@acme.example',
    'the product redeemed the code once over the back channel', JSON.stringify(t.product.redeems).slice(0, 400));
  await page4.reload();
  check((await page4.textContent('h1')) === 'Sign-in failed' && (await page4.textContent('#error')) === 'handoff.code_used',
    'reloading the callback (a second redeem) shows the refusal handoff.code_used', await page4.textContent('body'));
  await context4.close();
  const denied = await fetch(`${spBase}/api/v1/logins/redeem`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: landed.searchParams.get('claimgate_code') }),
  });
  check(denied.status === 401, 'a redeem without the API token is refused (401)', String(denied.status));
  const rows = await (await fetch(`${spBase}/api/audit?event=login.redeem&connection=${CONNECTION}`,
    { headers: { Authorization: `Bearer ${token}` } })).json();
  check(rows.length === 2 && rows[0].decision === 'accepted' && rows[1].error_code === 'handoff.code_used'
    && rows.every((r) => r.subject === 'Ada@Acme.example'),
  'the audit trail has both redeems of ada (accepted, then handoff.code_used)', JSON.stringify(rows).slice(0, 400));
  const login = (await (await fetch(`${spBase}/api/audit?event=login&connection=${CONNECTION}`,
    { headers: { Authorization: `Bearer ${token}` } })).json()).at(-1);
  check(first.answer.audit_id === login.id && login.decision === 'accepted', "the redeem's audit_id is the login's audit row",
    `${first.answer.audit_id} vs ${login.id}`);
  const verify = JSON.parse(sp.cli(['audit', 'verify', '--json']));
  check(verify.ok === true, '`claimgate audit verify`: the chain holds with the redeem rows', JSON.stringify(verify));
}

// Stops everything the test started and checks that nothing is left; keeps the files on failure.
async function tearDown(t, ok, keep) {
  const { dir, out, idp, sp, browser } = t;
  if (browser) await browser.close();
  if (t.product) await new Promise((resolve) => t.product.server.close(resolve));
  const how = await sp.stop();
  await idp.stop();
  if (!ok) {
    console.log(`# claimgate serve output:\n${sp.output.slice(-4000)}`);
    console.log(`# IdP logs:\n${idp.logs()}`);
  }
  if (how) check(how.code === 0, 'claimgate serve stops cleanly on SIGTERM', JSON.stringify(how));
  const left = [sp.proc?.pid, idp.proc?.pid].filter((pid) => pid && alive(pid));
  const apachePid = (() => { try { return Number(readFileSync(path.join(idp.dir, 'run/httpd.pid'), 'utf8')); } catch { return 0; } })();
  if (apachePid && alive(apachePid)) left.push(apachePid);
  // apache runs in a process group of its own: no worker of it may outlive the parent.
  if (idp.proc?.pid && alive(-idp.proc.pid)) left.push(`apache process group ${idp.proc.pid}`);
  check(left.length === 0, 'no server is left running', left.join(' '));
  if (ok && !keep && out !== dir) rmSync(dir, { recursive: true, force: true });
  else if (ok && !keep) {
    for (const f of ['idp', 'claimgate.db', 'claimgate.db-wal', 'claimgate.db-shm']) rmSync(path.join(dir, f), { recursive: true, force: true });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  // playwright-core 1.61 is the newest release that still runs on Node.js 18 (Debian 12's nodejs).
  if (nodeMajor < 18) throw new Error(`the browser test needs Node.js 18 or newer (playwright-core 1.61); this is ${process.version}`);
  const missing = checkInstalled();
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (missing.length) {
    throw new Error(`the browser test needs ${missing.join(', ')}: run ./scripts/install-deps.sh --e2e`);
  }
  const { chromium } = await import('playwright-core');

  const dir = mkdtempSync(path.join(tmpdir(), 'claimgate-e2e-'));
  chmodSync(dir, 0o711);  // apache's www-data reaches idp/ (its own modes) but cannot list the rest
  const out = args.out ? path.resolve(args.out) : dir;
  mkdirSync(out, { recursive: true });
  console.log(`# temporary directory ${dir}`);
  // What the steps share; each step reads what it needs and adds what later steps use.
  const t = {
    chromium, dir, out,
    idp: new SimpleSamlPhpIdp(path.join(dir, 'idp'), await freePort()),
    sp: new Claimgate(args.claimgate, dir),
    browser: null,
  };
  let ok = false;
  try {
    for (const step of [startIdp, startSp, signedRequests, openBrowser, spInitiated, idpInitiated,
      attributeChange, adminView, refusal, loginCsrf, productHandoff]) {
      await step(t);
    }
    ok = true;
  } finally {
    await tearDown(t, ok, args.keep);
  }
  console.log(`# ${checks} checks passed`);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
