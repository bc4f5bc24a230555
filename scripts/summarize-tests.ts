// Adds up vitest's JSON reports into the one closing line CI reads: "tests: N passed, N failed, N skipped".
// Failed tests are named above that line, because CI shows only the end of a long log.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface VitestAssertion {
  fullName: string;
  status: string;
  failureMessages?: string[];
}

interface VitestFileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults: VitestAssertion[];
}

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: VitestFileResult[];
}

const folder = process.argv[2] ?? '.cache/test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
for (const name of files) {
  const report = JSON.parse(readFileSync(join(folder, name), 'utf8')) as VitestJsonReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults ?? []) {
    const where = `${name.replace(/\.json$/, '')}: ${relative(process.cwd(), file.name)}`;
    if (file.status === 'failed' && file.assertionResults.every((test) => test.status !== 'failed')) {
      failures.push(`${where} (the file failed: ${firstLine(file.message)})`);
    }
    for (const test of file.assertionResults) {
      if (test.status !== 'failed') continue;
      failures.push(`${where} > ${test.fullName}\n${messageHead(test.failureMessages?.[0])}`);
    }
  }
}
if (files.length === 0 || passed + failed === 0) {
  console.log('tests: no test report found');
  process.exit(1);
}
// Written by the test harness (FUSEDIS_SERVER_EXITS): a server that crashed explains failures.
const serverExits = join(folder, 'server-exits.txt');
if (existsSync(serverExits)) console.log(readFileSync(serverExits, 'utf8').trimEnd());
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);

// A property failure says what failed below its first line (counterexample, seed, the error
// itself): the message's first lines, stack frames left out, go to CI's tail.
function messageHead(text: string | undefined): string {
  const lines = (text ?? 'no message')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*at /.test(line))
    .slice(0, 14)
    .map((line) => `    ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
  return lines.length === 0 ? '    no message' : lines.join('\n');
}

function firstLine(text: string | undefined): string {
  const line = (text ?? 'no message').split('\n').find((part) => part.trim() !== '') ?? 'no message';
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
