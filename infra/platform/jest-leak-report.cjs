// Jest global teardown: names what the tests left running, so a leak is found from the CI log.
// Tests run in band, so anything a test forgot (a child process, a socket, a timer) lives in this
// process. A leak once kept jest from exiting until CI's 90-minute limit; test.sh now passes
// --forceExit, and this report is what says which test to fix.
const { readdirSync, readFileSync } = require('node:fs');

/** Processes whose parent is this one, with their command lines. */
const childProcesses = () => {
  const children = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after its closing paren
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      children.push(`${pid} ${cmd.slice(0, 200)}`);
    } catch {
      // exited while we looked
    }
  }
  return children;
};

module.exports = async () => {
  // Give handles closed in the last afterAll a moment to go.
  await new Promise((r) => setTimeout(r, 500));
  const resources = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
  const children = childProcesses();
  const counts = Object.entries(resources.reduce((c, r) => ((c[r] = (c[r] ?? 0) + 1), c), {}));
  console.log(`\n==> left open after the tests: ${counts.map(([r, n]) => `${n} ${r}`).join(', ') || 'nothing'}`);
  for (const child of children) console.log(`    child process still running: ${child}`);
};
