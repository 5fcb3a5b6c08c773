// The device bench's bundle entry (prepare.sh bundles it to pack/bench/bench.mjs;
// run.sh runs it): `--job JSON` makes it a child that runs one cell, anything
// else the parent that runs them all (bench/device/main.ts).

import { RESULT_MARK, runJob, type Job } from './job.js';
import { main } from './main.js';

const args = process.argv.slice(2);
if (args[0] === '--job') {
  // Dawn keeps the event loop alive: the child ends itself once it has answered.
  const r = await runJob(JSON.parse(args[1]) as Job);
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(r)}\n`, () => process.exit(0));
} else {
  main(args).then(() => process.exit(0), (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
