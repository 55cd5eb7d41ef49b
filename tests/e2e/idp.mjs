// A real SAML IdP for the end-to-end test: Debian's SimpleSAMLphp 1.19 under a private apache2
// (mod_php, prefork) on a loopback port, with its own throw-away key, a file-backed user store
// (exampleauth:UserPass) and the SP's metadata read from the XML that claimgate itself serves.
// Nothing outside `dir` is written; stop() ends every apache process it started.
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const SSP_ROOT = '/usr/share/simplesamlphp';
const APACHE_MODULES = '/usr/lib/apache2/modules';

// PHP source text for a string or an array of strings.
function php(value) {
  if (Array.isArray(value)) return '[' + value.map(php).join(', ') + ']';
  return "'" + String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

export function findPhpModule() {
  for (const v of ['8.4', '8.3', '8.2', '8.1', '8.0', '7.4']) {
    const p = path.join(APACHE_MODULES, `libphp${v}.so`);
    if (existsSync(p)) return p;
  }
  return null;
}

export function checkInstalled() {
  const missing = [];
  if (!existsSync(path.join(SSP_ROOT, 'www/saml2/idp/SSOService.php'))) missing.push('simplesamlphp');
  if (!existsSync('/usr/sbin/apache2')) missing.push('apache2');
  if (!findPhpModule()) missing.push('libapache2-mod-php');
  return missing;
}

export class SimpleSamlPhpIdp {
  // dir: a fresh directory of the test's; port: a free loopback port.
  constructor(dir, port) {
    this.dir = dir;
    this.port = port;
    this.base = `http://127.0.0.1:${port}/simplesaml`;
    this.entityId = `${this.base}/saml2/idp/metadata.php`;
    this.metadataUrl = `${this.base}/saml2/idp/metadata.php`;
    this.spMetadataFile = path.join(dir, 'sp-metadata.xml');
    this.users = {};
    this.proc = null;
  }

  // The IdP's user store: {username: {password, attributes: {name: [values]}}}. Rewritten at any
  // time: PHP reads authsources.php on every request (opcache is off).
  setUsers(users) {
    this.users = users;
    const entries = Object.entries(users).map(([name, u]) => {
      const attrs = Object.entries(u.attributes)
        .map(([k, v]) => `      ${php(k)} => ${php(v)},`)
        .join('\n');
      return `    ${php(name + ':' + u.password)} => [\n${attrs}\n    ],`;
    });
    const text = `<?php
$config = [
  'admin' => ['core:AdminPassword'],
  'claimgate-users' => [
    'exampleauth:UserPass',
${entries.join('\n')}
  ],
];
`;
    writeFileSync(path.join(this.configDir, 'authsources.php'), text);
  }

  // Whether the IdP signs the Response as well as the Assertion (it always signs the Assertion).
  // Takes effect at the next request: the hosted metadata is read on every request.
  setSignResponse(signResponse) {
    writeFileSync(path.join(this.configDir, 'metadata/saml20-idp-hosted.php'), `<?php
$metadata['__DYNAMIC:1__'] = [
  'host' => '__DEFAULT__',
  'privatekey' => 'idp.key',
  'certificate' => 'idp.pem',
  'auth' => 'claimgate-users',
  'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'saml20.sign.assertion' => true,
  'saml20.sign.response' => ${signResponse ? 'true' : 'false'},
  'simplesaml.nameidattribute' => 'email',
  'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
];
`);
  }

  // Writes the configuration, the key and apache's config; does not start anything.
  configure({ signResponse = false } = {}) {
    const d = this.dir;
    this.configDir = path.join(d, 'config');
    for (const sub of ['config/metadata', 'cert', 'log', 'data', 'tmp', 'sessions', 'run']) {
      mkdirSync(path.join(d, sub), { recursive: true });
    }
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-subj', '/CN=claimgate e2e SimpleSAMLphp IdP',
      '-keyout', path.join(d, 'cert/idp.key'), '-out', path.join(d, 'cert/idp.pem'),
    ], { stdio: 'ignore' });
    writeFileSync(path.join(this.configDir, 'config.php'), `<?php
$config = [
  'baseurlpath' => ${php(this.base + '/')},
  'certdir' => ${php(d + '/cert/')},
  'loggingdir' => ${php(d + '/log/')},
  'datadir' => ${php(d + '/data/')},
  'tempdir' => ${php(d + '/tmp')},
  'metadatadir' => ${php(this.configDir + '/metadata/')},
  'technicalcontact_name' => 'claimgate e2e',
  'technicalcontact_email' => 'e2e@example.org',
  'secretsalt' => ${php(randomBytes(16).toString('hex'))},
  'auth.adminpassword' => ${php(randomBytes(16).toString('hex'))},
  'admin.protectindexpage' => true,
  'admin.protectmetadata' => false,
  'timezone' => 'UTC',
  'logging.level' => SimpleSAML\\Logger::DEBUG,
  'logging.handler' => 'file',
  'logging.logfile' => 'simplesamlphp.log',
  'enable.saml20-idp' => true,
  'enable.shib13-idp' => false,
  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
  'session.cookie.secure' => false,
  'session.phpsession.savepath' => ${php(d + '/sessions')},
  'store.type' => 'phpsession',
  'language.available' => ['en'],
  'language.default' => 'en',
  'metadata.sources' => [
    ['type' => 'flatfile'],
    ['type' => 'xml', 'file' => ${php(this.spMetadataFile)}],
  ],
];
`);
    this.setSignResponse(signResponse);
    // Replaced by the SP's metadata once claimgate has the connection.
    writeFileSync(this.spMetadataFile, '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>\n');
    this.setUsers({});
    writeFileSync(path.join(d, 'httpd.conf'), `ServerRoot ${d}
ServerName 127.0.0.1
Listen 127.0.0.1:${this.port}
PidFile ${d}/run/httpd.pid
DefaultRuntimeDir ${d}/run
ErrorLog ${d}/log/apache-error.log
LogLevel warn
LoadModule mpm_prefork_module ${APACHE_MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module ${APACHE_MODULES}/mod_authz_core.so
LoadModule mime_module ${APACHE_MODULES}/mod_mime.so
LoadModule dir_module ${APACHE_MODULES}/mod_dir.so
LoadModule alias_module ${APACHE_MODULES}/mod_alias.so
LoadModule env_module ${APACHE_MODULES}/mod_env.so
LoadModule php_module ${findPhpModule()}
${process.getuid && process.getuid() === 0 ? 'User www-data\nGroup www-data' : ''}
StartServers 2
MinSpareServers 1
MaxSpareServers 4
MaxRequestWorkers 8
TypesConfig /etc/mime.types
LogFormat "%h %t \\"%r\\" %>s %b %D" timed
CustomLog ${d}/log/apache-access.log timed
DocumentRoot ${SSP_ROOT}/www
Alias /simplesaml ${SSP_ROOT}/www
<Directory />
  Require all denied
</Directory>
<Directory ${SSP_ROOT}/www>
  Require all granted
  DirectoryIndex index.php
</Directory>
<FilesMatch "\\.php$">
  SetHandler application/x-httpd-php
</FilesMatch>
SetEnv SIMPLESAMLPHP_CONFIG_DIR ${this.configDir}
php_admin_flag opcache.enable Off
php_admin_value session.save_path ${d}/sessions
php_admin_value error_log ${d}/log/php-error.log
php_admin_flag display_errors Off
`);
    // apache drops to www-data when started as root: it must read the config and key and write
    // its logs, sessions and temporary files. Everything here is a throw-away test fixture.
    for (const sub of ['', 'config', 'config/metadata', 'cert', 'run']) chmodSync(path.join(d, sub), 0o755);
    for (const sub of ['log', 'data', 'tmp', 'sessions']) chmodSync(path.join(d, sub), 0o1777);
    chmodSync(path.join(d, 'cert/idp.key'), 0o644);
  }

  async start(log) {
    this.proc = spawn('/usr/sbin/apache2', ['-f', path.join(this.dir, 'httpd.conf'), '-DFOREGROUND'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: prefork apache signals its whole group when it stops.
      detached: true,
    });
    this.proc.stdout.on('data', (b) => log(`apache: ${b}`));
    this.proc.stderr.on('data', (b) => log(`apache: ${b}`));
    this.exited = new Promise((resolve) => this.proc.on('exit', resolve));
    const deadline = Date.now() + 20000;
    for (;;) {
      try {
        const r = await fetch(this.metadataUrl);
        const text = await r.text();
        if (r.ok && text.includes('IDPSSODescriptor')) {
          this.metadataXml = text;
          return;
        }
        if (Date.now() > deadline) throw new Error(`IdP metadata answers ${r.status}: ${text.slice(0, 3000)}`);
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`SimpleSAMLphp did not start: ${e.message}\n${this.logs()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  logs() {
    const read = (f) => {
      try { return readFileSync(path.join(this.dir, 'log', f), 'utf8').slice(-4000); } catch { return ''; }
    };
    return ['apache-error.log', 'php-error.log', 'simplesamlphp.log']
      .map((f) => `--- ${f}\n${read(f)}`).join('\n');
  }

  // The IdP-initiated sign-on URL for an SP known from its metadata.
  unsolicitedUrl(spEntityId, relayState) {
    let u = `${this.base}/saml2/idp/SSOService.php?spentityid=${encodeURIComponent(spEntityId)}`;
    if (relayState) u += `&RelayState=${encodeURIComponent(relayState)}`;
    return u;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');  // the parent stops its children before it exits
    const timer = setTimeout(() => process.kill(-this.proc.pid, 'SIGKILL'), 10000);
    await this.exited;
    clearTimeout(timer);
  }
}
