// npm test step: Doyensec's Electronegativity (AST checks of Electron security anti-patterns) over the Electron
// shell (electron/) and the built page (dist/renderer/index.html, where the CSP meta is). Exits 1 on any
// finding, on any file it could not parse, and on any inline `eng-disable` that gives no reason.
//
// A finding is fixed, or explained where it is: `// eng-disable CHECK_ID -- why it does not apply` on the
// flagged line (the scanner reads the IDs up to the `--`; this script requires the reason after it).
// Whole checks are turned off only in EXCLUDED below, each with its reason.
//
// Offline: the scanner fetches translations and Electron's release list with `got`; both are optional, so
// `got` is answered "unreachable" at once instead of waiting on a network the build machines do not have.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** Checks not run at all, and why. Keys are the scanner's check class names. */
const EXCLUDED = {
  // Downloads Electron's release notes from GitHub to spot a newer patch with security fixes: needs the
  // network. Electron's version is pinned in package.json and moved by hand with its release notes.
  AvailableSecurityFixesGlobalCheck: 'needs the network',
};

const require = createRequire(import.meta.url);
const scannerEntry = require.resolve('@doyensec/electronegativity');
const gotPath = createRequire(scannerEntry).resolve('got');
const unreachable = () => Promise.reject(new Error('offline: no network during tests'));
unreachable.head = unreachable;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: unreachable };
// Messages in English whatever the machine's LANG (the scanner ships en-US, es-ES, fr-FR).
process.env.LANG = 'en-US';
const { default: run } = await import(scannerEntry).then((m) => (m.default?.default ? m.default : m));

const page = 'dist/renderer/index.html';
if (!existsSync(page)) {
  console.error(`electronegativity: ${page} is missing; build the renderer first (npx vite build).`);
  process.exit(1);
}

// One scan over a copy laid out like the repository, so the global checks (navigation limits, permission
// handler, CSP) see the shell and the page together and reported paths are the repository's.
const stage = mkdtempSync(join(tmpdir(), 'sillon-eng-'));
const started = performance.now();
let failed = false;
try {
  cpSync('electron', join(stage, 'electron'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  cpSync(page, join(stage, page));
  const electron = JSON.parse(readFileSync('package.json', 'utf8')).optionalDependencies.electron.replace(/^[\^~]/, '');

  const result = await run({
    input: stage,
    isRelative: true,
    electronVersionOverride: electron,
    excludeFromScan: Object.keys(EXCLUDED),
  });

  for (const issue of result.issues) {
    failed = true;
    const where = issue.file === 'N/A' ? '(whole app)' : `${issue.file}:${issue.location.line}:${issue.location.column}`;
    console.error(`FINDING ${issue.id} ${issue.severity.name}/${issue.confidence.name} ${where}\n  ${issue.description}\n  ${issue.shortenedURL ?? ''}${issue.sample ? `\n  > ${issue.sample}` : ''}`);
  }
  for (const error of result.errors.filter((e) => !e.tolerable)) {
    failed = true;
    console.error(`NOT SCANNED ${relative(stage, error.file)}: ${error.message}`);
  }

  // Every suppression carries its reason, so a reader of the flagged line learns why it is safe: in code after
  // ` -- ` (`// eng-disable ID -- why`), in HTML in the comment that follows (`<!-- eng-disable ID --><!-- why -->`).
  const directives = [
    { syntax: /(?:\/\*|\/\/)[ \t]*eng-disable[ \t]+[\w \t]+(.*)$/, reason: /^--\s*\S.{9,}/, how: '-- <why the check does not apply>' },
    { syntax: /<!--[ \t]*eng-disable[ \t]+[\w \t]+-->(.*)$/, reason: /^\s*<!--\s*\S.{9,}-->/, how: '<!-- why the check does not apply -->' },
  ];
  let suppressed = 0;
  for (const file of walk(stage)) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      for (const { syntax, reason, how } of directives) {
        const m = syntax.exec(line);
        if (!m) continue;
        suppressed++;
        if (!reason.test(m[1])) {
          failed = true;
          console.error(`UNEXPLAINED eng-disable ${relative(stage, file)}:${i + 1}: add "${how}" after the check IDs.`);
        }
      }
    });
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `electronegativity (Electron ${electron}): ${result.atomicChecks} atomic + ${result.globalChecks} global checks, ${result.issues.length} finding(s), ` +
      `${suppressed} suppression(s), ${Object.keys(EXCLUDED).length} check(s) excluded (${seconds} s)`,
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(ts|tsx|js|mjs|cjs|html)$/.test(name)) yield path;
  }
}
